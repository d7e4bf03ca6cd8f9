"""The owner records the move-in, logs a change request and completes the evaluation; HR opens the report PDF
from the HR page, and it carries no sensitive measure."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from evaluation import services
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in, log_out
from tests.factories import PASSWORD, ProjectFactory, hr_adviser, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Oppfølging av en navngitt ansatt"


def test_owner_completes_the_evaluation_and_hr_prints_the_report(page, live_server):
    today = timezone.localdate()
    project = ProjectFactory(name="Arkivet flytter", start_date=today - datetime.timedelta(days=500))
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    member(project, Role.SAFETY_REP, full_name="Siri Verne")
    hr_adviser(email="hanne@example.no", full_name="Hanne HR")
    move_in = today - datetime.timedelta(days=200)

    log_in(page, "kari@example.no", PASSWORD)
    page.get_by_role("link", name="Arkivet flytter").click()
    page.get_by_role("link", name="Registrer innflytting").click()
    check_accessibility(page, "evaluation-move-in")
    page.get_by_label("Faktisk innflytting").fill(move_in.isoformat())
    page.get_by_role("button", name="Registrer innflytting").click()
    expect(page.get_by_role("status")).to_contain_text("Innflyttingen er registrert")
    expect(page.get_by_role("heading", name="Viktige datoer")).to_be_visible()
    expect(page.locator(".badge", has_text="Fredningsperiode")).to_be_visible()
    check_accessibility(page, "evaluation-tab-new")

    page.get_by_role("link", name="Registrer endringsønske").click()
    page.get_by_label("Hva bør endres").fill("Gjøre stillerommet om til møterom")
    page.get_by_label("Hvorfor").fill("Vi mangler et rom for fire")
    page.get_by_role("radio", name="Justering som svekker").check()
    page.get_by_role("button", name="Registrer endringsønsket").click()
    expect(
        page.get_by_text("Justeringen svekker konseptet og er derfor utsatt til evalueringen", exact=False)
    ).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("justering er utsatt til evalueringen"))).to_be_visible()

    page.get_by_role("link", name="Endre plan").click()
    page.get_by_label("Mandat og avgrensning").fill("Fungerer sonene og møterommene etter målene?")
    page.get_by_label("Spørreundersøkelse").check()
    page.get_by_label("Evaluator").select_option("internal")
    page.get_by_label("Planlagt start").fill(today.isoformat())
    page.get_by_label("Begrunnelse for datoer utenfor vinduet").fill("AMU ba om en tidlig evaluering.")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("Evalueringsplanen er lagret")

    page.get_by_role("link", name="Legg til resultat").click()
    page.get_by_role("radio", name="Suksesskriterium").check()
    page.get_by_label("Hvilket suksesskriterium").select_option("leaders")
    page.get_by_role("radio", name="4").check()
    page.get_by_label("Vurdering").fill("Lederne går foran.")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("cell", name=re.compile("Lederne går foran")).first).to_be_visible()

    page.locator("#follow-heading").locator("xpath=..").get_by_role("link", name="Endre").click()
    page.get_by_label("Lagt fram for lederne").fill((today - datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Lagt fram for tillitsvalgte og verneombud").fill(
        (today - datetime.timedelta(days=2)).isoformat()
    )
    page.get_by_label("Lagt fram for de ansatte").fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Oppfølgingsplan").fill("Tiltakene følges opp i AMU.")
    page.get_by_role("button", name="Lagre").click()

    services.measure_create(
        project=project, by=owner, focus_area="Støy", goal="Ro", activity="Absorbenter", responsible="Kari",
        source="evaluation",
    )  # fmt: skip
    services.measure_create(
        project=project, by=owner, focus_area=SECRET, goal="Trivsel", activity="Samtaler", responsible="Kari",
        source="evaluation", sensitive=True,
    )  # fmt: skip
    page.reload()
    check_accessibility(page, "evaluation-tab-ready")
    page.get_by_role("link", name="Fullfør evalueringen").click()
    check_accessibility(page, "evaluation-complete-confirm")
    page.get_by_role("button", name="Fullfør evalueringen").click()
    expect(page.get_by_role("status")).to_contain_text("Evalueringen er fullført")
    expect(page.locator(".badge", has_text="Fredningsperioden er over")).to_be_visible()
    check_accessibility(page, "evaluation-tab-done")
    log_out(page)

    log_in(page, "hanne@example.no", PASSWORD)
    expect(page.get_by_role("heading", name="HR: evalueringer og HMS-tiltak")).to_be_visible()
    expect(page.get_by_text(SECRET)).to_have_count(0)
    check_accessibility(page, "hr")
    page.get_by_role("link", name="Rapport for Arkivet flytter").click()
    check_accessibility(page, "hr-project")
    page.get_by_role("button", name="Lag en ny versjon av evalueringsrapporten").click()
    link = page.get_by_role("link", name="Versjon 1")
    expect(link).to_be_visible(timeout=60_000)  # rendered by the (eager) worker
    check_accessibility(page, "hr-project-report")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Evalueringsrapport" in text
    assert "Lederne går foran." in text
    assert "Støy" in text
    assert SECRET not in text
