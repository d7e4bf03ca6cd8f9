"""The admin never writes around the services: projects, memberships, phases, items, steps, meetings, sign-offs
and generated documents are read-only there, history revert included (simple-history's revert form saved
whatever has_change_permission said)."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from participation import services as participation_services
from participation.models import Meeting, SignOff, Step, StepVersion
from phases import services as phase_services
from phases.models import ChecklistItem, Phase
from projects.models import GeneratedDocument, Membership, Project, Role
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

# Every ModelAdmin of the apps that hold project data. User and OrgUnit are kept in the admin on purpose.
EDITABLE_IN_ADMIN = {"projects.user", "projects.orgunit"}
APPS = ("projects", "phases", "workproducts", "space", "participation", "evaluation", "archive")


@pytest.fixture
def admin_user():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def world(steps_template):
    project = ProjectFactory(name="Økonomi flytter", start_date=datetime.date(2027, 1, 4))
    owner = member(project, Role.OWNER)
    member(project, Role.SAFETY_REP)
    member(project, Role.UNION_REP)
    phase_services.process_start(project=project, template=steps_template, by=owner)
    step = project.participation_steps.get(key="mandate-consultation")
    participation_services.step_update(step=step, by=owner, summary="Ramme 2 500 000 kr.", meetings=[])
    step = participation_services.step_update(step=step, by=owner, summary="Ramme 1 250 000 kr.", meetings=[])
    return project, owner, step


def _history_url(obj, record):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_simple_history", args=[obj.pk, record.history_id])


def test_every_model_admin_of_project_data_is_read_only(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    checked = []
    for model, model_admin in site._registry.items():
        label = model._meta.label_lower
        if model._meta.app_label not in APPS or label in EDITABLE_IN_ADMIN:
            continue
        checked.append(label)
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        assert model_admin.has_view_permission(request), label
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), (label, inline)
            assert not inline.has_change_permission(request), (label, inline)
            assert not inline.has_delete_permission(request), (label, inline)
    assert {"projects.project", "projects.membership", "phases.phase", "phases.checklistitem", "participation.step",
            "participation.stepversion", "participation.signoff",
            "projects.generateddocument"} <= set(checked)  # fmt: skip


@pytest.fixture
def sent(world):
    """The mandate consultation sent twice, version 1 signed by the safety representative."""
    project, owner, step = world
    safety_rep = project.memberships.get(role=Role.SAFETY_REP).user
    step = participation_services.step_send(step=step, by=owner)
    participation_services.signoff_record(
        step=step, by=safety_rep, decision=SignOff.Decision.APPROVED, content_hash=step.content_hash
    )
    participation_services.step_update(step=step, by=owner, summary="Ramme 1 300 000 kr.", meetings=[])
    step = participation_services.step_send(step=step, by=owner)
    return project, owner, safety_rep, step


def test_every_admin_page_of_project_data_can_be_read(client, admin_user, sent):
    """The list, one row and its history, for every registered model of project data (a model without a
    history table, like a template or a sent version, gets the admin's own history page)."""
    client.force_login(admin_user)
    for model, model_admin in site._registry.items():
        meta = model._meta
        if meta.app_label not in APPS:
            continue
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        assert client.get(reverse(f"{prefix}_changelist")).status_code == 200, meta.label
        obj = model_admin.get_queryset(RequestFactory().get("/")).first()
        if obj is not None:
            assert client.get(reverse(f"{prefix}_change", args=[obj.pk])).status_code == 200, meta.label
            assert client.get(reverse(f"{prefix}_history", args=[obj.pk])).status_code == 200, meta.label


def test_sent_versions_are_listed_with_their_sign_offs_and_never_changed(client, admin_user, sent):
    project, owner, safety_rep, step = sent
    first, second = StepVersion.objects.filter(step=step).order_by("number")
    client.force_login(admin_user)

    listing = client.get(reverse("admin:participation_stepversion_changelist"), {"q": "Økonomi flytter"})
    rows = listing.context["cl"].result_list
    assert [(v.number, v.n_signoffs) for v in rows.order_by("number")] == [(1, 1), (2, None)]
    assert first.content_hash[:12] in listing.content.decode()
    by_hash = client.get(reverse("admin:participation_stepversion_changelist"), {"q": second.content_hash[:16]})
    assert list(by_hash.context["cl"].result_list) == [second]

    page = client.get(reverse("admin:participation_stepversion_change", args=[first.pk])).content.decode()
    assert safety_rep.full_name in page and "Ramme 1 250 000 kr." in page and first.content_hash in page
    assert "Ramme 1 300 000 kr." not in page

    change = client.post(
        reverse("admin:participation_stepversion_change", args=[first.pk]),
        {"content": "Ramme 9 kr.", "content_hash": "0" * 64, "number": "1"},
    )
    assert change.status_code == 403
    client.post(reverse("admin:participation_stepversion_delete", args=[first.pk]), {"post": "yes"})
    client.post(
        reverse("admin:participation_stepversion_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    client.post(reverse("admin:participation_stepversion_add"), {"step": step.pk, "number": "3", "content": "x"})
    assert [(v.number, v.content, v.content_hash) for v in StepVersion.objects.filter(step=step)] == [
        (first.number, first.content, first.content_hash),
        (second.number, second.content, second.content_hash),
    ]


def test_revert_of_a_step_changes_nothing(client, admin_user, world):
    project, owner, step = world
    before = Step.objects.get(pk=step.pk)
    old = step.history.filter(summary="Ramme 2 500 000 kr.").earliest("history_date")
    client.force_login(admin_user)
    assert client.get(_history_url(step, old)).status_code == 200  # the old version can be read
    response = client.post(_history_url(step, old), {"summary": "Ramme 2 500 000 kr.", "_save": "1"})
    assert response.status_code == 403
    after = Step.objects.get(pk=step.pk)
    assert (after.summary, after.version, after.content_hash) == (before.summary, before.version, before.content_hash)


def test_revert_of_a_completed_phase_changes_nothing(client, admin_user, world, settings):
    project, owner, step = world
    phase = project.phases.get(order=1)
    for item in ChecklistItem.objects.filter(phase=phase, mandatory=True):
        phase_services.item_set_done(item=item, by=owner, done=True)
    coordinator_user = UserFactory(groups=["coordinator"])
    phase_services.phase_complete(phase=phase, by=coordinator_user, override_reason="Signeres senere.")
    open_record = phase.history.filter(completed_at__isnull=True).latest("history_date")
    client.force_login(admin_user)
    response = client.post(_history_url(phase, open_record), {})
    assert response.status_code == 403
    assert Phase.objects.get(pk=phase.pk).is_completed


def test_revert_of_a_meeting_and_a_document_changes_nothing(client, admin_user, world):
    project, owner, step = world
    meeting = participation_services.meeting_save(
        project=project, by=owner, type="consultation", title="Drøftingsmøte", held_on=datetime.date(2027, 1, 10),
        minutes="Enighet.", steps=[step],
    )  # fmt: skip
    participation_services.meeting_save(
        project=project, by=owner, meeting=meeting, type="consultation", title="Drøftingsmøte",
        held_on=datetime.date(2027, 1, 10), minutes="Uenighet.", steps=[step],
    )  # fmt: skip
    doc = GeneratedDocument.objects.create(
        project=project, kind="participation-protocol", version=1, requested_by=owner, sha256="0" * 64
    )
    GeneratedDocument.objects.filter(pk=doc.pk).update(sha256="a" * 64)  # a record in history with zeros, a row without
    client.force_login(admin_user)
    old_meeting = meeting.history.filter(minutes="Enighet.").latest("history_date")
    assert client.post(_history_url(meeting, old_meeting), {}).status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Uenighet."
    assert client.post(_history_url(doc, doc.history.earliest("history_date")), {}).status_code == 403
    assert GeneratedDocument.objects.get(pk=doc.pk).sha256 == "a" * 64


def test_the_admin_cannot_remove_the_last_owner_or_change_an_items_status(client, admin_user, world):
    project, owner, step = world
    ownership = Membership.objects.get(project=project, role=Role.OWNER)
    item = ChecklistItem.objects.filter(project=project).first()
    client.force_login(admin_user)
    client.post(reverse("admin:projects_membership_delete", args=[ownership.pk]), {"post": "yes"})
    client.post(
        reverse("admin:projects_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [ownership.pk], "post": "yes"},
    )
    assert Membership.objects.filter(pk=ownership.pk).exists()
    response = client.post(reverse("admin:phases_checklistitem_change", args=[item.pk]), {"status": "done"})
    assert response.status_code in (302, 403)
    assert ChecklistItem.objects.get(pk=item.pk).status == ChecklistItem.Status.OPEN
    response = client.post(reverse("admin:projects_project_change", args=[project.pk]), {"name": "Omdøpt"})
    assert Project.objects.get(pk=project.pk).name == "Økonomi flytter"
    # Every page of it can still be read.
    for name, args in (
        ("projects_project_change", [project.pk]),
        ("projects_membership_changelist", []),
        ("phases_phase_changelist", []),
        ("phases_checklistitem_change", [item.pk]),
        ("participation_step_history", [step.pk]),
    ):
        assert client.get(reverse(f"admin:{name}", args=args)).status_code == 200, name
