"""The owner completes a phase in the browser; on the participation plan the new protocol version shows as queued
for the archive, then (the worker sends it) as sent; a receipt dropped into the drop folder's receipts/ shows the
archive's numbers on the document's row. The row updates itself (htmx polling), nobody reloads the page."""

import re

import pytest
from playwright.sync_api import expect

from archive import message, tasks
from archive.models import Archiving
from participation.models import Step
from participation.services import signoff_record, step_send, step_update
from phases import services
from phases.models import ChecklistItem
from projects import outbox
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_completes_a_phase_and_the_protocol_reaches_the_archive(
    page, live_server, steps_template, settings, tmp_path, monkeypatch
):
    drop = tmp_path / "arkiv"
    drop.mkdir()
    settings.ARCHIVE_TRANSPORT, settings.ARCHIVE_DIRECTORY = "directory", str(drop)
    settings.ARCHIVE_PART, settings.ARCHIVE_CLASS_VALUE = "PROSJEKT", "614"
    # The worker is busy elsewhere: the broker takes no wake-up, so what the request stores waits in the outbox.
    monkeypatch.setattr(outbox, "wake", lambda ids: 0)

    project = ProjectFactory(name="Økonomi flytter", case_number="")
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    services.process_start(project=project, template=steps_template, by=owner)
    phase = project.phases.get(order=1)
    for item in ChecklistItem.objects.filter(phase=phase, status=ChecklistItem.Status.OPEN):
        services.item_set_done(item=item, by=owner, done=True)
    signers = {role: member(project, role) for role in (Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE)}
    for step in Step.objects.filter(activity__phase=phase):
        step_update(step=step, by=owner, summary="Lagt fram og drøftet.", meetings=[])
        step = step_send(step=step, by=owner)
        for role in step.required_roles:
            signoff_record(step=step, by=signers[role], role=role, decision="approved")

    log_in(page, "kari@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/phases/{phase.pk}/complete/")
    for select in page.locator("select").all():
        select.select_option("green")
    page.get_by_role("button", name="Fullfør fase").click()
    expect(page.get_by_role("status")).to_contain_text("er fullført")

    page.goto(f"/projects/{project.pk}/participation/")
    row = page.locator("#documents-participation-protocol li").first
    expect(row).to_contain_text("Versjon 1")
    expect(row).to_contain_text("I kø til arkivet")
    check_accessibility(page, "archive-queued")

    from django.core.management import call_command

    call_command("archive_send")  # what the worker does: render the version, then send it
    expect(row).to_contain_text("Sendt til arkivet", timeout=20_000)
    expect(row).to_contain_text("venter på kvittering fra arkivet")
    archiving = Archiving.objects.get(project=project)
    assert (drop / str(archiving.message_id) / "arkivmelding.xml").exists()

    receipts = drop / "receipts"
    receipts.mkdir()
    (receipts / f"{archiving.message_id}.xml").write_bytes(message.receipt_xml(case=(2027, 4711), record=(2027, 17)))
    tasks.archive_poll()  # beat's periodic task reads the receipt
    expect(row).to_contain_text("Arkivert", timeout=20_000)
    expect(row).to_contain_text("journalpostnr. 2027/17")
    expect(row).to_contain_text(re.compile(r"saksnr\. 2027/4711"))
    check_accessibility(page, "archive-receipt")
