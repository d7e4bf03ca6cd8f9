"""What is archived, and when: the protocol when a phase is completed, the mandate when its consultation step is
signed by every required role, the evaluation report when the evaluation is completed, the final documentation
when the project is completed, and any generated PDF the owner sends by hand."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from archive.models import Archiving
from evaluation import services as evaluation_services
from participation import services as participation_services
from phases import services as phase_services
from phases.models import ChecklistItem, Criterion, CriterionStatus
from projects import services as project_services
from projects.models import GeneratedDocument, Job, Project, Role
from tests.factories import coordinator, member
from workproducts import services as workproduct_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2027, 3, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _archived(project):
    return [
        (a.document.kind, a.trigger, a.state)
        for a in Archiving.objects.filter(project=project).select_related("document").order_by("pk")
    ]


def _complete_first_phase(project, by):
    phase = project.phases.get(order=1)
    for item in phase.items.filter(status=ChecklistItem.Status.OPEN):
        phase_services.item_set_done(item=item, by=project.owner, done=True)
    workproduct_services.workproduct_start(project=project, kind="mandate", by=project.owner)
    for step in project.participation_steps.filter(activity__phase=phase):
        participation_services.step_update(step=step, by=project.owner, summary="Legges fram.", meetings=[])
        participation_services.step_send(step=step, by=project.owner)
        for role in step.required_roles:
            signer = project.signers[role]
            participation_services.signoff_record(step=step, by=signer, role=role, decision="approved")
    assessments = {c.value: (CriterionStatus.GREEN, "") for c in Criterion}
    return phase_services.phase_complete(phase=phase, by=by, assessments=assessments)


@pytest.fixture
def started(project, steps_template):
    project.signers = {
        Role.SAFETY_REP: member(project, Role.SAFETY_REP),
        Role.UNION_REP: member(project, Role.UNION_REP),
        Role.OH_SERVICE: member(project, Role.OH_SERVICE),
    }
    phase_services.process_start(project=project, template=steps_template, by=project.owner)
    return project


def test_a_completed_phase_archives_the_protocol_and_a_signed_mandate_the_mandate(archive_dir, started):
    _complete_first_phase(started, started.owner)
    assert _archived(started) == [
        ("mandate", Archiving.Trigger.MANDATE, Archiving.State.QUEUED),  # its consultation's last sign-off
        ("participation-protocol", Archiving.Trigger.PHASE, Archiving.State.QUEUED),
    ]
    for archiving in Archiving.objects.filter(project=started):
        assert archiving.document.status == GeneratedDocument.Status.PENDING  # a new version, rendered by the worker
        assert not Job.objects.filter(key=archiving.job_key).exists()  # sent once the PDF exists


def test_a_coordinators_override_archives_the_protocol_too(archive_dir, started):
    coord = coordinator()
    phase = started.phases.get(order=1)
    phase_services.phase_complete(phase=phase, by=coord, override_reason="Drøftet i møte, signert på papir.")
    assert _archived(started) == [("participation-protocol", Archiving.Trigger.PHASE, Archiving.State.QUEUED)]


def test_signing_again_after_the_mandate_was_complete_does_not_archive_it_again(archive_dir, started):
    step = started.participation_steps.get(key="mandate-consultation")
    workproduct_services.workproduct_start(project=started, kind="mandate", by=started.owner)
    participation_services.step_update(step=step, by=started.owner, summary="Mandatet.", meetings=[])
    participation_services.step_send(step=step, by=started.owner)
    participation_services.signoff_record(step=step, by=started.signers[Role.SAFETY_REP], role=Role.SAFETY_REP,
                                          decision="approved")  # fmt: skip
    assert _archived(started) == []  # the union rep has not signed yet
    participation_services.signoff_record(step=step, by=started.signers[Role.UNION_REP], role=Role.UNION_REP,
                                          decision="approved_with_remarks", text="Greit.")  # fmt: skip
    second_rep = member(started, Role.SAFETY_REP)
    participation_services.signoff_record(step=step, by=second_rep, role=Role.SAFETY_REP, decision="approved")
    assert [k for k, *_ in _archived(started)] == ["mandate"]


def test_completing_the_evaluation_archives_the_report(archive_dir, project):
    from tests.evaluation.test_freeze import complete

    moved_in = evaluation_services.movein_record(project=project, by=project.owner, move_in=datetime.date(2026, 8, 31))
    complete(moved_in, project.owner)
    assert _archived(project) == [("evaluation-report", Archiving.Trigger.EVALUATION, Archiving.State.QUEUED)]


def test_completing_the_project_archives_the_final_documentation(archive_dir, project):
    evaluation_services.movein_record(project=project, by=project.owner, move_in=datetime.date(2026, 8, 31))
    project_services.project_update(project=project, by=project.owner, status=Project.Status.COMPLETED)
    assert _archived(project) == [("final-documentation", Archiving.Trigger.CLOSED, Archiving.State.QUEUED)]
    project_services.project_update(project=project, by=project.owner, name="Økonomi har flyttet")
    assert len(_archived(project)) == 1  # only the change to completed


def test_a_project_completed_before_it_moved_in_has_no_final_documentation_to_archive(archive_dir, project):
    project_services.project_update(project=project, by=project.owner, status=Project.Status.COMPLETED)
    assert _archived(project) == []


def test_a_version_that_could_not_be_generated_fails_its_archiving(archive_dir, project):
    from archive import services
    from projects import documents, extensions, outbox
    from projects.services import document_render, document_request

    def broken(document):
        raise RuntimeError("malen mangler")

    with extensions.registered("document_kind", documents.Kind("test-broken", "the broken note", broken, "brudd")):
        doc = document_request(project=project, kind="test-broken", by=project.owner)
        archiving = services.archiving_request(document=doc, trigger=Archiving.Trigger.MANUAL, by=project.owner)
        with pytest.raises(outbox.GiveUp):
            document_render(document_id=doc.pk)
        assert services.waiting_enqueue() == 0
    archiving.refresh_from_db()
    assert archiving.state == Archiving.State.FAILED
    assert "PDF-en kunne ikke lages: malen mangler" in archiving.error


def test_the_owner_sends_a_pdf_by_hand_after_confirming(archive_dir, project, fake_kind, client):
    from tests.archive.conftest import rendered

    doc = rendered(project)
    url = reverse("archive:send", args=[project.pk, doc.pk])
    client.force_login(project.viewer)
    list_url = reverse("projects:documents", args=[project.pk, "test-note"])
    assert url not in client.get(list_url).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(project.owner)
    row = client.get(list_url).content.decode()
    assert url in row and "Send til arkiv" in row
    page = client.get(url).content.decode()
    assert "kan ikke tas tilbake" in page
    assert client.post(url, {"next": list_url}).status_code == 302
    assert _archived(project) == [("test-note", Archiving.Trigger.MANUAL, Archiving.State.QUEUED)]
    assert "I kø til arkivet" in client.get(list_url).content.decode()
    client.post(url)
    assert Archiving.objects.count() == 1
