"""A coordinator's gate override asks for confirmation first; the members table fits a 390 px phone with
its actions in reach."""

import re

import pytest
from playwright.sync_api import expect

from phases import services
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, ProjectFactory, coordinator, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_confirms_an_override_before_the_phase_completes(page, mini_template):
    project = ProjectFactory(name="Kultur flytter")
    owner = member(project, Role.OWNER)
    services.process_start(project=project, template=mini_template, by=owner)
    phase = project.phases.get(order=1)
    coordinator(email="knut@example.no", full_name="Knut Koordinator")

    log_in(page, "knut@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/phases/{phase.pk}/complete/")
    page.get_by_label("Begrunnelse for å overstyre faseovergangen").fill(
        "Vedtatt i byrådet; sjekkpunktene følges opp i neste fase."
    )
    page.get_by_role("button", name="Overstyr og fullfør fasen").click()

    expect(page.get_by_role("heading", name=re.compile("Overstyre faseovergangen"))).to_be_visible()
    expect(page.get_by_text("Vedtatt i byrådet; sjekkpunktene følges opp i neste fase.")).to_be_visible()
    check_accessibility(page, "override-confirm")
    phase.refresh_from_db()
    assert phase.completed_at is None

    page.get_by_role("link", name="Avbryt").click()
    expect(page.get_by_role("heading", name=re.compile("Fullfør fasen"))).to_be_visible()
    phase.refresh_from_db()
    assert phase.completed_at is None

    page.get_by_label("Begrunnelse for å overstyre faseovergangen").fill("Vedtatt i byrådet.")
    page.get_by_role("button", name="Overstyr og fullfør fasen").click()
    page.get_by_role("button", name="Ja, overstyr og fullfør").click()
    expect(page.get_by_role("status")).to_contain_text("fullført ved overstyring")
    phase.refresh_from_db()
    assert phase.completed_at is not None and phase.override_reason == "Vedtatt i byrådet."


def test_members_table_fits_a_phone_and_its_actions_are_reachable(chromium, live_server):
    project = ProjectFactory(name="Helse flytter")
    member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    member(project, Role.SAFETY_REP, email="siri.verneombud.lang.adresse@demo.kommune.no", full_name="Siri Verne")
    member(project, Role.OH_SERVICE, full_name="Berit Helse-Bedriftshelsetjeneste")
    context = chromium.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, "kari@example.no", PASSWORD)
        page.goto(f"/projects/{project.pk}/members/")
        table = page.locator("table.members-table")
        expect(table).to_be_visible()
        check_accessibility(page, "members-phone")
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = table.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        for link in page.get_by_role("link", name=re.compile("^(Endre rolle|Fjern)")).all():
            b = link.bounding_box()
            assert b["x"] >= 0 and b["x"] + b["width"] <= width, link.inner_text()
        page.get_by_role("link", name=re.compile("Fjern – Siri Verne")).click()
        expect(page.get_by_role("button", name="Ja, fjern")).to_be_visible()
    finally:
        context.close()
