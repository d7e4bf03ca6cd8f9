"""A coordinator logs in, lands on Oversikt, filters, sorts, opens the timeline and downloads the list."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from phases.models import Phase
from phases.services import process_start
from projects.extensions import rollups_refresh
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, ProjectFactory, coordinator, member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def projects(steps_template):
    today = timezone.localdate()
    out = []
    for n, name in enumerate(["Økonomi flytter", "Innkjøp bygger om", "Sykehjem samlokaliseres"]):
        project = ProjectFactory(
            name=name, start_date=today - timedelta(days=200 - 60 * n),
            planned_move_in=today + timedelta(days=90 + 120 * n),
        )  # fmt: skip
        owner = member(project, Role.OWNER, full_name=f"Eier {n}")
        if n != 1:
            member(project, Role.SAFETY_REP)
        process_start(project=project, template=steps_template, by=owner)
        out.append(project)
    out[0].phases.filter(order=1).update(completed_at=timezone.now() - timedelta(days=20))
    Phase.objects.filter(project=out[2], order=1).update(planned_end=today - timedelta(days=45))
    rollups_refresh([p.pk for p in out])  # the phases were changed behind the services
    return out


def test_coordinator_overview_filters_timeline_and_export(page, projects):
    coordinator(email="knut@example.no", full_name="Knut Koordinator")
    log_in(page, "knut@example.no", PASSWORD)
    expect(page).to_have_url(re.compile(r"/projects/overview/$"))
    expect(page.get_by_role("heading", name="Oversikt over alle prosjekter")).to_be_visible()
    expect(page.get_by_role("link", name="Oversikt", exact=True)).to_have_attribute("aria-current", "page")
    attention = page.get_by_role("region", name="Trenger oppfølging nå")
    expect(attention.get_by_text("Verneombud er ikke oppnevnt")).to_be_visible()
    expect(attention.get_by_text("Faseovergangen i «Første fase» har vært blokkert")).to_be_visible()
    check_accessibility(page, "dashboard")

    page.get_by_label("Fase").select_option("first")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"phase=first"))
    table = page.get_by_role("region", name="Alle prosjekter").get_by_role("table")
    expect(table.get_by_role("link", name="Sykehjem samlokaliseres")).to_be_visible()
    expect(table.get_by_role("link", name="Økonomi flytter")).to_have_count(0)
    page.get_by_role("link", name="Planlagt innflytting").click()
    expect(page).to_have_url(re.compile(r"phase=first.*sort=planned_move_in|sort=planned_move_in.*phase=first"))
    check_accessibility(page, "dashboard-filtered")

    page.get_by_role("link", name="Tidslinje").click()
    expect(page).to_have_url(re.compile(r"/overview/timeline/\?.*phase=first"))
    page.get_by_role("link", name="Nullstill filtre").click()
    expect(page.locator("svg.timeline")).to_be_visible()
    dates = page.get_by_role("table", name="Faser og viktige datoer per prosjekt")
    expect(dates).to_contain_text("Planlagt innflytting")
    check_accessibility(page, "dashboard-timeline")

    page.get_by_role("link", name="Tabell").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned som Excel").click()
    assert download.value.suggested_filename == f"prosjekter-{date.today().isoformat()}.xlsx"
