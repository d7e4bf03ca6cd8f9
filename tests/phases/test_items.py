import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from phases import services
from phases.models import ChecklistItem
from projects.models import Role
from tests.factories import ProjectFactory, member
from tests.phases.conftest import item

pytestmark = pytest.mark.django_db


def toggle(client, project, it, done, htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        reverse("phases:item_toggle", args=[project.pk, it.pk]), {"done": "1" if done else "0"}, **headers
    )


def test_owner_ticks_and_unticks_without_javascript(client, project, owner):
    it = item(project, "workshop")
    client.force_login(owner)
    response = toggle(client, project, it, True)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{it.pk}")
    it.refresh_from_db()
    assert it.status == ChecklistItem.Status.DONE
    assert it.completed_by == owner
    toggle(client, project, it, False)
    it.refresh_from_db()
    assert it.status == ChecklistItem.Status.OPEN
    assert it.completed_by is None


def test_htmx_tick_returns_the_row_and_the_progress(client, project, owner):
    it = item(project, "workshop")
    client.force_login(owner)
    response = toggle(client, project, it, True, htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="item-{it.pk}"' in html
    assert "Angre" in html  # the button now reopens
    assert 'id="activity-progress" hx-swap-oob="true"' in html
    assert "<!doctype" not in html


def test_member_edits_own_item_but_not_anothers(client, project, owner):
    worker = member(project, Role.MEMBER)
    mine, other = item(project, "workshop"), item(project, "vision")
    services.item_plan(item=mine, by=owner, assignee=worker, due_date=None)
    services.item_plan(item=other, by=owner, assignee=owner, due_date=None)
    client.force_login(worker)
    assert toggle(client, project, mine, True).status_code == 302
    assert toggle(client, project, other, True).status_code == 403
    other.refresh_from_db()
    assert other.status == ChecklistItem.Status.OPEN


@pytest.mark.parametrize("role", [Role.VIEWER, Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE])
def test_readers_cannot_tick(client, project, owner, role):
    reader = member(project, role)
    it = item(project, "workshop")
    client.force_login(reader)
    assert toggle(client, project, it, True).status_code == 403
    it.refresh_from_db()
    assert it.status == ChecklistItem.Status.OPEN


def test_viewer_does_not_see_the_tick_button(client, project):
    client.force_login(member(project, Role.VIEWER))
    activity = item(project, "workshop").activity
    html = client.get(reverse("phases:activity", args=[project.pk, activity.pk])).content.decode()
    assert "Hold verksted" in html
    assert "Marker som utført" not in html


def test_not_applicable_needs_a_reason(client, project, owner):
    it = item(project, "visit")
    client.force_login(owner)
    response = client.post(reverse("phases:item_na", args=[project.pk, it.pk]), {"na-reason": "   "})
    assert response.status_code == 400
    assert "Feltet er påkrevet." in response.content.decode()
    it.refresh_from_db()
    assert it.status == ChecklistItem.Status.OPEN


def test_not_applicable_service_refuses_blank_reason(project, owner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.item_set_not_applicable(item=item(project, "visit"), by=owner, reason="")


def test_not_applicable_with_reason_is_kept_and_shown(client, project, owner):
    it = item(project, "visit")
    client.force_login(owner)
    client.post(
        reverse("phases:item_na", args=[project.pk, it.pk]),
        {"na-reason": "Ingen relevante steder i nærheten"},
    )
    it.refresh_from_db()
    assert it.status == ChecklistItem.Status.NOT_APPLICABLE
    page = client.get(reverse("phases:activity", args=[project.pk, it.activity_id])).content.decode()
    assert "Ingen relevante steder i nærheten" in page
    assert "Ikke relevant" in page


def test_owner_assigns_item_and_sets_deadline(client, project, owner):
    worker = member(project, Role.MEMBER, full_name="Mona Medlem")
    it = item(project, "workshop")
    client.force_login(owner)
    response = client.post(
        reverse("phases:item_plan", args=[project.pk, it.pk]),
        {"plan-assignee": worker.pk, "plan-due_date": "2027-02-01"},
    )
    assert response.status_code == 302
    it.refresh_from_db()
    assert (it.assignee, str(it.due_date)) == (worker, "2027-02-01")


def test_representative_cannot_be_made_responsible(project, owner):
    from django.core.exceptions import ValidationError

    rep = member(project, Role.SAFETY_REP)
    with pytest.raises(ValidationError):
        services.item_plan(item=item(project, "workshop"), by=owner, assignee=rep, due_date=None)


def test_assignee_must_be_a_member(client, project, owner):
    outsider = member(ProjectFactory(), Role.OWNER)
    it = item(project, "workshop")
    client.force_login(owner)
    response = client.post(reverse("phases:item_plan", args=[project.pk, it.pk]), {"plan-assignee": outsider.pk})
    assert response.status_code == 400
    it.refresh_from_db()
    assert it.assignee is None


def test_member_cannot_reassign(client, project, owner):
    worker = member(project, Role.MEMBER)
    it = item(project, "workshop")
    services.item_plan(item=it, by=owner, assignee=worker, due_date=None)
    client.force_login(worker)
    response = client.post(reverse("phases:item_plan", args=[project.pk, it.pk]), {"plan-assignee": ""})
    assert response.status_code == 403


def test_history_shows_tick_untick_not_applicable_and_reassignment(client, project, owner):
    worker = member(project, Role.MEMBER, full_name="Mona Medlem")
    it = item(project, "workshop")
    services.item_set_done(item=it, by=owner, done=True)
    services.item_set_done(item=it, by=owner, done=False)
    services.item_set_not_applicable(item=it, by=owner, reason="Gjort i fjor")
    services.item_plan(item=it, by=owner, assignee=worker, due_date=None)
    client.force_login(owner)
    html = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert html.count("Sjekkpunkt: Hold verksted") == 4  # the copy from the template is one process entry
    assert "Prosess: Minimal prosess (versjon 1)" in html
    assert "<del>Åpen</del>" in html and "<ins>Utført</ins>" in html
    assert "<del>Utført</del>" in html and "<ins>Åpen</ins>" in html
    assert "<ins>Ikke relevant</ins>" in html
    assert "<ins>Gjort i fjor</ins>" in html
    assert "<ins>Mona Medlem</ins>" in html
    assert "Kari Eier" in html


def test_comment_is_added_and_shown(client, project, owner):
    it = item(project, "workshop")
    client.force_login(owner)
    client.post(reverse("phases:item_comment", args=[project.pk, it.pk]), {"comment-text": "Booket rom 3. mars"})
    assert "Booket rom 3. mars" in client.get(reverse("phases:item", args=[project.pk, it.pk])).content.decode()


def upload(client, project, it, name, content):
    return client.post(
        reverse("phases:item_attachment", args=[project.pk, it.pk]),
        {"file-file": SimpleUploadedFile(name, content)},
    )


def test_attachment_is_stored_outside_static_and_served_only_to_members(client, project, owner):
    it = item(project, "workshop")
    client.force_login(owner)
    assert upload(client, project, it, "referat.pdf", b"%PDF-1.7 referat").status_code == 302
    attachment = it.attachments.get()
    assert str(settings.MEDIA_ROOT) in attachment.file.path
    assert "static" not in attachment.file.path.split(str(settings.MEDIA_ROOT))[1]
    url = reverse("phases:attachment", args=[project.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 referat"
    assert 'filename="referat.pdf"' in response["Content-Disposition"]
    client.force_login(member(ProjectFactory(), Role.OWNER))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("skript.exe", b"MZ...", "Filer av denne typen kan ikke legges ved"),
        ("falsk.pdf", b"<html>not a pdf</html>", "passer ikke med navnet"),
        ("tom.txt", b"", "Filen er tom."),
    ],
)
def test_bad_attachments_are_refused(client, project, owner, name, content, message):
    it = item(project, "workshop")
    client.force_login(owner)
    response = upload(client, project, it, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not it.attachments.exists()


def test_attachment_over_10_mb_is_refused(client, project, owner, settings):
    it = item(project, "workshop")
    client.force_login(owner)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    response = upload(client, project, it, "stor.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 400
    assert "større enn 10 MB" in response.content.decode()


def test_history_names_items_in_the_active_language(client, project, owner):
    services.item_set_done(item=item(project, "workshop"), by=owner, done=True)
    owner.preferred_language = "en"
    owner.save()
    client.force_login(owner)
    html = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert "Checklist item: Hold a workshop" in html
    assert "Hold verksted" not in html


def test_the_overview_counts_the_open_items_past_their_deadline_in_every_phase(client, project, owner):
    import datetime

    from django.utils import timezone

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for key in ("workshop", "vision", "moved"):  # two in phase 1, one in phase 2
        services.item_plan(item=item(project, key), by=owner, assignee=None, due_date=yesterday)
    services.item_set_done(item=item(project, "vision"), by=owner, done=True)  # done: no longer overdue
    client.force_login(owner)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "2 forfalte sjekkpunkter" in html
    services.item_set_done(item=item(project, "moved"), by=owner, done=True)
    assert "1 forfalt sjekkpunkt" in client.get(project.get_absolute_url()).content.decode()


def test_next_steps_come_from_the_current_phase(client, project, owner):
    import datetime

    # A phase-2 item due before everything in phase 1 still does not crowd out the current phase.
    services.item_plan(item=item(project, "moved"), by=owner, assignee=None, due_date=datetime.date(2026, 1, 1))
    client.force_login(owner)
    page = client.get(project.get_absolute_url())
    panel = next(p for p in page.context["panels"] if p["template"] == "phases/_overview_panel.html")
    assert {i.phase.order for i in panel["next_items"]} == {1}
