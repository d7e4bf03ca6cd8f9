"""The owner fills in the mandate and sends it for consultation; the safety rep objects from the inbox; the
owner changes the frame; the safety rep sees exactly what changed and approves. Axe and screenshots on every
page: the Dokumenter tab, the mandate form, the risk matrix and the step page with the difference."""

import re

import pytest
from playwright.sync_api import expect

from participation.models import SignOff
from phases import services
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in, log_out
from tests.factories import PASSWORD, ProjectFactory, member
from workproducts.services import workproduct_row_save, workproduct_start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OBJECTION = "Rammen gir ikke rom for støyskjerming i sonene for konsentrasjonsarbeid."


def test_mandate_consultation_objection_change_and_approval(page, live_server, bergen_template):
    import datetime

    project = ProjectFactory(name="Økonomi flytter", case_number="2027/42", start_date=datetime.date(2027, 1, 4))
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    member(project, Role.SAFETY_REP, email="siri@example.no", full_name="Siri Verne")
    member(project, Role.UNION_REP, full_name="Tor Tillit")
    services.process_start(project=project, template=bergen_template, by=owner)
    step = project.participation_steps.get(key="mandate-consultation")
    risk = workproduct_start(project=project, kind="risk_assessment", by=owner)
    for lk, c, text in (
        (4, 4, "Støy i åpent landskap"),
        (3, 2, "Usikkerhet i overgangen"),
        (1, 2, "Lange gangavstander"),
    ):
        workproduct_row_save(
            work_product=risk, section="hazards", by=owner,
            data={"description": text, "exposed": "Alle ansatte", "likelihood": lk, "consequence": c},
        )  # fmt: skip

    # The owner fills in the mandate from the Dokumenter tab and sends it for consultation.
    log_in(page, "kari@example.no", PASSWORD)
    page.get_by_role("link", name="Økonomi flytter").click()
    page.locator(".nav-tabs").get_by_role("link", name="Dokumenter", exact=True).click()
    expect(page.get_by_role("heading", name="Dokumenter", exact=True)).to_be_visible()
    check_accessibility(page, "documents-tab")
    page.get_by_role("link", name="Risikovurdering", exact=True).first.click()
    expect(page.get_by_role("heading", name="Risikomatrise")).to_be_visible()
    check_accessibility(page, "risk-matrix")
    page.get_by_role("link", name=re.compile("^1 fare, sannsynlighet 4, konsekvens 4")).click()
    expect(page.get_by_role("cell", name="Støy i åpent landskap", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Usikkerhet i overgangen", exact=True)).to_have_count(0)
    page.locator(".nav-tabs").get_by_role("link", name="Dokumenter", exact=True).click()
    page.get_by_role("link", name="Mandat", exact=True).first.click()
    page.get_by_role("link", name="Fyll ut").click()
    page.get_by_label("Bakgrunn og formål").fill("Enheten samles i nye lokaler i Rådhusgaten.")
    page.get_by_label("Økonomisk ramme (NOK)").fill("2500000")
    page.get_by_label("Hva rammen dekker").fill("Ombygging, møbler og flytting")
    page.get_by_label("Kvalitetskrav").fill("Universell utforming.")
    check_accessibility(page, "mandate-form")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("Lagret som versjon")
    page.get_by_role("link", name="Legg til en milepæl").click()
    page.get_by_label("Milepæl").fill("Innflytting")
    page.get_by_label("Dato").fill("2027-10-01")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("cell", name="Innflytting", exact=True)).to_be_visible()
    page.get_by_role("link", name="Send på drøfting").click()
    check_accessibility(page, "mandate-send-confirm")
    page.get_by_role("button", name="Send på drøfting").click()
    expect(page.get_by_role("status")).to_contain_text("Sendt på drøfting")
    check_accessibility(page, "mandate")
    # The consultation step is a draft until the owner sends it, after a confirmation naming who signs.
    page.goto(f"/projects/{project.pk}/participation/steps/{step.pk}/")
    expect(page.get_by_role("heading", name="Utkast, ikke sendt til godkjenning")).to_be_visible()
    check_accessibility(page, "step-draft-owner")
    page.get_by_role("link", name="Send til godkjenning …").click()
    expect(page.get_by_text("blir tillitsvalgt og verneombud bedt om å godkjenne")).to_be_visible()
    check_accessibility(page, "step-send-confirm")
    page.get_by_role("button", name="Send versjon 1 til godkjenning").click()
    expect(page.get_by_role("status")).to_contain_text("Versjon 1 er sendt til tillitsvalgt og verneombud")
    expect(page.get_by_role("status")).not_to_contain_text("utdatert")  # nobody had signed anything
    check_accessibility(page, "step-sent-owner")
    log_out(page)

    # The safety rep objects from the inbox.
    log_in(page, "siri@example.no", PASSWORD)
    page.get_by_role("link", name=re.compile("Til godkjenning")).click()
    page.get_by_role("link", name="Drøftingsmøte om mandatet").click()
    expect(page.get_by_text("2 500 000 kr")).to_be_visible()
    page.get_by_role("radio", name="Protokolltilførsel").check()
    page.get_by_label("Merknad eller protokolltilførsel").fill(OBJECTION)
    page.get_by_label(re.compile("Jeg har lest innholdet")).check()
    page.get_by_role("button", name="Send beslutningen").click()
    expect(page.get_by_role("status")).to_contain_text("Du ga protokolltilførsel på versjon 1.")
    log_out(page)

    # The owner raises the frame.
    log_in(page, "kari@example.no", PASSWORD)
    page.get_by_role("link", name="Økonomi flytter").click()
    page.locator(".nav-tabs").get_by_role("link", name="Dokumenter", exact=True).click()
    page.get_by_role("link", name="Mandat", exact=True).first.click()
    page.get_by_role("link", name="Endre", exact=True).click()
    page.get_by_label("Økonomisk ramme (NOK)").fill("3200000")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("viser endringen som utkast")
    # Saving is a draft: the owner sees the unsent change and sends version 2.
    page.goto(f"/projects/{project.pk}/participation/steps/{step.pk}/")
    unsent = page.get_by_role("table", name="Utkastet sammenlignet med versjon 1, som er sendt")
    expect(unsent).to_contain_text("3 200 000 kr")
    check_accessibility(page, "step-unsent-changes")
    page.get_by_role("link", name="Send versjon 2 til godkjenning …").click()
    expect(page.get_by_text("Godkjenningen av versjon 1 blir utdatert")).to_be_visible()
    page.get_by_role("button", name="Send versjon 2 til godkjenning").click()
    expect(page.get_by_role("status")).to_contain_text("Godkjenningene av versjon 1 er nå utdatert.")
    log_out(page)

    # The safety rep sees what changed since she signed, and approves.
    log_in(page, "siri@example.no", PASSWORD)
    page.get_by_role("link", name=re.compile("Til godkjenning")).click()
    page.get_by_role("link", name="Drøftingsmøte om mandatet").click()
    changes = page.get_by_role("table", name="Felt som er annerledes enn i versjonen du tok stilling til")
    expect(changes).to_be_visible()
    expect(changes.locator("tbody tr")).to_have_count(1)
    expect(changes).to_contain_text("Økonomisk ramme (NOK)")
    expect(changes).to_contain_text("2 500 000 kr")
    expect(changes).to_contain_text("3 200 000 kr")
    check_accessibility(page, "step-with-difference")
    page.get_by_role("radio", name="Godkjent", exact=True).check()
    page.get_by_label(re.compile("Jeg har lest innholdet")).check()
    page.get_by_role("button", name="Send beslutningen").click()
    expect(page.get_by_role("status")).to_contain_text("Du godkjente versjon 2.")
    decisions = list(
        SignOff.objects.filter(step__key="mandate-consultation", signer__email="siri@example.no")
        .order_by("signed_at")
        .values_list("decision", flat=True)
    )
    assert decisions == ["objection", "approved"]
