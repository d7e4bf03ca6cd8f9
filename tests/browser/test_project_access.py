"""The foundation's story in a real browser: an owner creates a project and adds a safety rep, who then sees
it, while an unrelated user gets 404. axe-core checks every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Membership, Project, Role
from tests.browser.conftest import check_accessibility, log_in, log_out
from tests.factories import PASSWORD, OrgUnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_creates_project_adds_safety_rep_and_outsider_gets_404(page, live_server):
    owner = UserFactory(email="kari@example.no", full_name="Kari Nordmann")
    OrgUnitFactory(name="Økonomiseksjonen", leader=owner)
    UserFactory(email="siri@example.no", full_name="Siri Verne")
    UserFactory(email="ulf@example.no", full_name="Ulf Utenfor")

    log_in(page, "kari@example.no", PASSWORD)
    expect(page.get_by_role("heading", name="Mine prosjekter")).to_be_visible()
    check_accessibility(page, "my-projects-empty")

    page.get_by_role("link", name="Nytt prosjekt").click()
    # A first attempt without a name shows the error and keeps what was typed.
    page.get_by_label("Adresse").fill("Rådhusgaten 10")
    page.get_by_role("button", name="Opprett prosjekt").click()
    expect(page.locator("#form-errors")).to_contain_text("Navn")
    expect(page.get_by_label("Adresse")).to_have_value("Rådhusgaten 10")
    check_accessibility(page, "project-create-errors")

    page.get_by_label("Navn").fill("Økonomi til aktivitetsbasert kontor")
    page.get_by_label("Saksnummer").fill("2026/777")
    page.get_by_label(re.compile("Økonomiseksjonen")).check()
    page.get_by_label("Antall ansatte").fill("42")
    page.get_by_label("Planlagt innflytting").fill("2027-09-01")
    page.get_by_role("button", name="Opprett prosjekt").click()

    project = Project.objects.get(case_number="2026/777")
    page.wait_for_url(f"**/projects/{project.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Økonomi til aktivitetsbasert kontor")
    expect(page.get_by_text("Prosjekteier").first).to_be_visible()
    check_accessibility(page, "project-overview")

    page.get_by_role("link", name="Medlemmer", exact=True).click()
    page.get_by_label("Søk på navn eller e-postadresse").fill("siri")
    page.get_by_role("button", name="Søk").click()
    page.get_by_label("Siri Verne <siri@example.no>").check()
    check_accessibility(page, "member-search")
    page.locator("#id_add-role").select_option(label="Verneombud")
    page.get_by_role("button", name="Legg til medlem").click()
    expect(page.get_by_role("status")).to_contain_text("Siri Verne er lagt til som verneombud")
    check_accessibility(page, "members")
    assert Membership.objects.filter(project=project, user__email="siri@example.no", role=Role.SAFETY_REP).exists()

    page.get_by_role("link", name="Historikk").click()
    expect(page.get_by_text("Medlem: Siri Verne")).to_be_visible()
    check_accessibility(page, "history")
    log_out(page)

    log_in(page, "siri@example.no", PASSWORD)
    expect(page.get_by_role("heading", name="Til godkjenning")).to_be_visible()  # a representative's landing
    page.get_by_role("link", name="Mine prosjekter").first.click()
    page.get_by_role("link", name="Økonomi til aktivitetsbasert kontor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Økonomi til aktivitetsbasert kontor")
    check_accessibility(page, "project-overview-safety-rep")
    log_out(page)

    log_in(page, "ulf@example.no", PASSWORD)
    response = page.goto(f"/projects/{project.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Fant ikke siden")).to_be_visible()
    check_accessibility(page, "not-found")


def test_english_switch_translates_the_page(page, live_server):
    UserFactory(email="kari@example.no")
    log_in(page, "kari@example.no", PASSWORD)
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="My projects")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_accessibility(page, "my-projects-english")
