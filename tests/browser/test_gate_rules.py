"""The gate in the browser: the owner sees the objection on record, the gate becomes blocked while they fill in
the assessment and their input stays on the page with the blocker; a coordinator reopens the completed phase
after a confirmation page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from participation.services import signoff_record, step_send, step_update
from phases import services
from phases.models import ChecklistItem
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in, log_out
from tests.factories import PASSWORD, ProjectFactory, coordinator, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = ["Lederne går foran", "De ansatte medvirker", "Teknologien støtter løsningen", "Alle er godt nok informert",
            "Økonomien er på plass"]  # fmt: skip


def test_gate_keeps_input_names_objection_and_coordinator_reopens(page, live_server, steps_template):
    project = ProjectFactory(name="Økonomi flytter", start_date=datetime.date(2027, 1, 4))
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Eier")
    reps = {
        Role.SAFETY_REP: member(project, Role.SAFETY_REP, full_name="Siri Verne"),
        Role.UNION_REP: member(project, Role.UNION_REP, full_name="Tor Tillit"),
        Role.OH_SERVICE: member(project, Role.OH_SERVICE, full_name="Berit Helse"),
    }
    member(project, Role.MANAGER, email="ola@example.no", full_name="Ola Leder")
    coordinator(email="knut@example.no", full_name="Knut Koordinator")
    services.process_start(project=project, template=steps_template, by=owner)
    phase = project.phases.get(order=1)
    for item in ChecklistItem.objects.filter(phase=phase, mandatory=True):
        services.item_set_done(item=item, by=owner, done=True)
    for step in project.participation_steps.filter(activity__phase=phase):
        step_update(step=step, by=owner, summary=f"Legges fram: {step.name_nb}.", meetings=[])
        step = step_send(step=step, by=owner)
        for role in step.required_roles:
            if role == Role.UNION_REP:
                signoff_record(step=step, by=reps[role], role=role, decision="objection",
                               text="Arealrammen er for knapp for enheten.")  # fmt: skip
            else:
                signoff_record(step=step, by=reps[role], role=role, decision="approved")

    log_in(page, "kari@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/phases/{phase.pk}/complete/")
    expect(page.get_by_role("heading", name="Faseovergangen er klar")).to_be_visible()
    expect(page.get_by_text("Dette hindrer faseovergangen")).to_have_count(0)
    expect(page.get_by_role("heading", name="Protokolltilførsler")).to_be_visible()
    expect(page.get_by_text(re.compile("Protokolltilførsel fra Tor Tillit"))).to_be_visible()
    for n, label in enumerate(CRITERIA):
        page.get_by_label(label, exact=True).select_option("yellow" if n else "red")
        page.get_by_label(f"Kommentar til «{label}»").fill(f"Vurdering {n + 1}: {label.lower()}.")
    check_accessibility(page, "gate-open-with-objection")

    # Meanwhile somebody re-opens a mandatory item: the gate is blocked when the owner submits.
    frame = ChecklistItem.objects.get(phase=phase, key="frame")
    services.item_set_done(item=frame, by=owner, done=False)
    page.get_by_role("button", name="Fullfør fase").click()
    expect(page.get_by_role("heading", name="Dette hindrer faseovergangen")).to_be_visible()
    expect(page.get_by_text("Faseovergangen er klar")).to_have_count(0)
    expect(page.get_by_text(re.compile("Vurderingene dine er tatt vare på"))).to_be_visible()
    expect(page.get_by_text(re.compile("Protokolltilførsel fra Tor Tillit"))).to_be_visible()
    expect(page.get_by_label(CRITERIA[0], exact=True)).to_have_value("red")
    expect(page.get_by_label(CRITERIA[4], exact=True)).to_have_value("yellow")
    expect(page.get_by_label(f"Kommentar til «{CRITERIA[2]}»")).to_have_value(
        "Vurdering 3: teknologien støtter løsningen."
    )
    check_accessibility(page, "gate-blocked-input-kept")
    phase.refresh_from_db()
    assert not phase.is_completed

    services.item_set_done(item=frame, by=owner, done=True)
    page.get_by_label(f"Kommentar til «{CRITERIA[0]}»").fill("")
    page.get_by_role("button", name="Fullfør fase").click()
    expect(page.locator("#id_leaders_comment")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Skriv hva som setter dette kriteriet i fare.").first).to_be_visible()
    check_accessibility(page, "gate-at-risk-needs-comment")
    page.get_by_label(f"Kommentar til «{CRITERIA[0]}»").fill("Ny leder er ikke på plass.")
    page.get_by_role("button", name="Fullfør fase").click()
    expect(page.get_by_role("status")).to_contain_text("er fullført")
    phase.refresh_from_db()
    assert phase.is_completed

    # The item is read-only now.
    page.goto(f"/projects/{project.pk}/items/{frame.pk}/")
    expect(page.get_by_text(re.compile("dette sjekkpunktet er skrivebeskyttet"))).to_be_visible()
    expect(page.get_by_role("button", name="Angre")).to_have_count(0)
    log_out(page)

    log_in(page, "knut@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/phases/")
    page.get_by_role("link", name=re.compile("Gjenåpne fasen")).click()
    expect(page.get_by_role("heading", name="Gjenåpne fasen «Første fase»?")).to_be_visible()
    page.get_by_label("Hvorfor gjenåpnes fasen?").fill("Bystyret endret den økonomiske rammen.")
    check_accessibility(page, "phase-reopen-confirm")
    page.get_by_role("button", name="Ja, gjenåpne fasen").click()
    expect(page.get_by_role("status")).to_contain_text("er åpen igjen")
    expect(page.get_by_text("Bystyret endret den økonomiske rammen.")).to_be_visible()
    check_accessibility(page, "phases-after-reopen")
    phase.refresh_from_db()
    assert not phase.is_completed and phase.reopen_reason == "Bystyret endret den økonomiske rammen."
