"""A safety rep objects to a step from the inbox; the owner sees the objection on the project page, and the
protocol PDF carries it."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from participation.services import step_send, step_update
from phases import services
from projects.models import GeneratedDocument, Role
from tests.browser.conftest import check_accessibility, log_in, log_out
from tests.factories import PASSWORD, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OBJECTION = "Verneombudet mener at støyskjerming i sonen for konsentrasjonsarbeid ikke er vurdert."


def test_safety_rep_objects_owner_sees_it_and_protocol_prints_it(page, live_server, bergen_template):
    project = ProjectFactory(name="Økonomi flytter")
    member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    member(project, Role.SAFETY_REP, email="siri@example.no", full_name="Siri Verne")
    member(project, Role.UNION_REP, full_name="Tor Tillit")
    services.process_start(project=project, template=bergen_template, by=project.memberships.get(role="owner").user)
    step = project.participation_steps.get(key="mandate-consultation")
    owner = project.memberships.get(role="owner").user
    step_update(step=step, by=owner, summary="Utkast til mandat", meetings=[])
    step_send(step=step, by=owner)

    log_in(page, "siri@example.no", PASSWORD)
    page.get_by_role("link", name=re.compile("Til godkjenning")).click()
    expect(page.get_by_role("heading", name="Til godkjenning")).to_be_visible()
    check_accessibility(page, "inbox")
    page.get_by_role("link", name=step.name_nb).click()
    expect(page.get_by_role("heading", name="Godkjenn eller skriv protokolltilførsel")).to_be_visible()
    check_accessibility(page, "step")
    page.get_by_role("radio", name="Protokolltilførsel").check()
    page.get_by_label("Merknad eller protokolltilførsel").fill(OBJECTION)
    page.get_by_label(re.compile("Jeg har lest innholdet")).check()
    page.get_by_role("button", name="Send beslutningen").click()
    # Every message names the decision taken: an objection is never reported as an approval.
    expect(page.get_by_role("status")).to_contain_text("Du ga protokolltilførsel på versjon 1.")
    expect(page.get_by_role("status")).not_to_contain_text("godkjent")
    box = page.locator(".col-lg-5 .alert-danger")
    expect(box).to_contain_text("Du ga protokolltilførsel på versjon 1.")
    expect(box).to_contain_text(OBJECTION)
    expect(page.get_by_text("Du har godkjent denne versjonen.")).to_have_count(0)
    check_accessibility(page, "step-signed")
    page.get_by_role("link", name=re.compile("Til godkjenning")).click()
    decisions = page.locator("section", has=page.get_by_role("heading", name="Dine beslutninger"))
    expect(decisions).to_contain_text("Protokolltilførsel")
    expect(page.get_by_text("Godkjent av deg")).to_have_count(0)
    log_out(page)

    log_in(page, "kari@example.no", PASSWORD)
    page.get_by_role("link", name="Økonomi flytter").click()
    objection = page.locator(".alert-danger", has_text=OBJECTION)
    expect(objection).to_be_visible()
    expect(objection).to_contain_text("Protokolltilførsel fra Siri Verne (Verneombud)")
    check_accessibility(page, "overview-with-objection")

    page.get_by_role("link", name="Medvirkning", exact=True).click()
    check_accessibility(page, "participation")
    page.get_by_role("button", name="Generer en ny versjon av medvirkningsprotokollen").click()
    expect(page.get_by_role("link", name="Versjon 1")).to_be_visible(timeout=60_000)  # rendered by the (eager) worker
    check_accessibility(page, "participation-protocol-generated")
    doc = GeneratedDocument.objects.get(project=project, kind="participation-protocol")
    with doc.file.open("rb") as f:
        text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages).split())
    assert OBJECTION in text
    assert "Protokolltilførsel fra Siri Verne" in text
