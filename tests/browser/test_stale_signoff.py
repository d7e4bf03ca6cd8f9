"""A representative signs what their page showed, never a version they have not seen: the owner sends a new
version while the representative reads; the submit is refused, the page shows what changed field by field
(the summary and the linked meeting's participants) with the decision and text kept; then they sign the new
version."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from participation import services
from participation.models import SignOff
from phases import services as phase_services
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REMARK = "Husk skjermede arbeidsplasser for dem som trenger det."


def test_a_changed_step_is_refused_shown_with_the_difference_then_signed(page, live_server, bergen_template):
    project = ProjectFactory(name="Økonomi flytter", start_date=datetime.date(2027, 1, 4))
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    siri = member(project, Role.SAFETY_REP, email="siri@example.no", full_name="Siri Verne")
    tor = member(project, Role.UNION_REP, full_name="Tor Tillit")
    phase_services.process_start(project=project, template=bergen_template, by=owner)
    step = project.participation_steps.get(key="mandate-consultation")
    meeting = services.meeting_save(
        project=project, by=owner, type="consultation", title="Drøftingsmøte om mandatet",
        held_on=datetime.date(2027, 1, 20), agenda="1. Økonomisk ramme", participants=[siri], steps=[step],
    )  # fmt: skip
    services.step_update(step=step, by=owner, summary="Økonomisk ramme 2 500 000 kr.", meetings=[meeting])
    services.step_send(step=step, by=owner)

    # The representative opens version 1 and starts writing her decision.
    log_in(page, "siri@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/participation/steps/{step.pk}/")
    expect(page.get_by_role("heading", name="Dette godkjennes: versjon 1")).to_be_visible()
    expect(page.get_by_text("1. Økonomisk ramme")).to_be_visible()  # the agenda is part of what is signed
    page.get_by_role("radio", name="Godkjent med merknad").check()
    page.get_by_label("Merknad eller protokolltilførsel").fill(REMARK)
    page.get_by_label(re.compile("Jeg har lest innholdet")).check()

    # Meanwhile the owner halves the frame, adds a participant to the meeting, and sends version 2.
    services.meeting_save(
        project=project, by=owner, meeting=meeting, type="consultation", title="Drøftingsmøte om mandatet",
        held_on=datetime.date(2027, 1, 20), agenda="1. Økonomisk ramme", participants=[siri, tor], steps=[step],
    )  # fmt: skip
    services.step_update(step=step, by=owner, summary="Økonomisk ramme 1 250 000 kr.", meetings=[meeting])
    services.step_send(step=step, by=owner)

    page.get_by_role("button", name="Send beslutningen").click()
    expect(page.get_by_role("heading", name="Beslutningen din ble ikke registrert")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("sendt på nytt som versjon 2")
    changes = page.get_by_role("table", name="Hva er endret siden versjon 1, som du leste")
    expect(changes.locator("tbody tr")).to_have_count(2)
    expect(changes.get_by_role("row", name=re.compile("^Sammendrag"))).to_contain_text("1 250 000 kr")
    participants = changes.get_by_role("row", name=re.compile("Deltakere"))
    expect(participants).to_contain_text("Siri Verne, Tor Tillit")
    expect(page.get_by_role("heading", name="Dette godkjennes: versjon 2")).to_be_visible()
    # Her decision and text are kept; she confirms again that she read the new content.
    expect(page.get_by_role("radio", name="Godkjent med merknad")).to_be_checked()
    expect(page.get_by_label("Merknad eller protokolltilførsel")).to_have_value(REMARK)
    expect(page.get_by_label(re.compile("Jeg har lest innholdet"))).not_to_be_checked()
    assert not SignOff.objects.exists()
    check_accessibility(page, "step-refused-with-difference")

    page.get_by_label(re.compile("Jeg har lest innholdet")).check()
    page.get_by_role("button", name="Send beslutningen").click()
    expect(page.get_by_role("status")).to_contain_text("Du godkjente versjon 2 med merknad.")
    signoff = SignOff.objects.get()
    step.refresh_from_db()
    assert (signoff.step_version, signoff.content_hash, signoff.text) == (2, step.content_hash, REMARK)
    check_accessibility(page, "step-signed-after-refusal")
