"""The owner maps today's practice and makes the area programme in the browser: the proximity grid and its
heatmap, a round entered in the grid, an import with errors listed by row and column, the study's chart, and
the area programme's norm warning; a coordinator keeps the room catalogue. Axe and screenshots on every page."""

import datetime

import pytest
from playwright.sync_api import expect

from phases import services
from projects.models import Role
from space.models import Observation, Proximity
from tests.browser.conftest import check_accessibility, log_in, log_out
from tests.factories import PASSWORD, ProjectFactory, coordinator, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mapping_and_area_programme_in_the_browser(page, live_server, bergen_template, tmp_path):
    from space.defaults import install
    from space.models import AreaNorm, RoomType
    from tests.space.test_mapping import area_programme, small_study

    # The catalogue comes from a data migration; an earlier transactional test's flush removed it.
    install(RoomType, AreaNorm)
    project = ProjectFactory(name="Økonomi flytter", case_number="2027/42", start_date=datetime.date(2027, 1, 4))
    project.owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    member(project, Role.SAFETY_REP, full_name="Siri Verne")
    services.process_start(project=project, template=bergen_template, by=project.owner)
    _wp, study, _zones, _units = small_study(project)
    area_programme(project, employees=7)  # 30.3 m² per employee, over the norm of 28
    coordinator(email="knut@example.no", full_name="Knut Koordinator")

    log_in(page, "kari@example.no", PASSWORD)
    page.goto(f"{live_server.url}/projects/{project.pk}/work-products/")
    page.get_by_role("link", name="Kartlegging av dagens praksis", exact=True).first.click()
    expect(page.get_by_role("heading", name="Nærhetsmatrise")).to_be_visible()
    page.get_by_role("link", name="Rediger nærhetsmatrisen").click()
    page.get_by_label("Nærhetsbehov, Økonomi og Innkjøp").select_option("3")
    check_accessibility(page, "mapping-proximity-grid")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("table.proximity td.prox-3").first).to_have_text("3")
    check_accessibility(page, "mapping")
    assert Proximity.objects.get().need == 3
    page.locator("#proximity").screenshot(path="var/screenshots/mapping-heatmap.png")

    # A round in the grid, then an import with errors.
    page.get_by_role("link", name="Før flytting").click()
    expect(page.locator("svg.occupancy-chart")).to_be_visible()
    check_accessibility(page, "mapping-study")
    page.screenshot(path="var/screenshots/mapping-study.png", full_page=True)
    page.get_by_role("link", name="Registrer en runde").click()
    page.get_by_label("Dato").fill("2027-02-03")
    page.get_by_label("Time").fill("10")
    page.get_by_role("button", name="Vis runden").click()
    page.get_by_label("Øst: opptatt").fill("6")
    page.get_by_label("Øst: midlertidig borte").fill("1")
    page.get_by_label("Møterom: personer").fill("4")
    check_accessibility(page, "mapping-round")
    page.get_by_role("button", name="Lagre runden").click()
    expect(page.get_by_text("Runden er lagret (2 soner).")).to_be_visible()
    assert Observation.objects.filter(date=datetime.date(2027, 2, 3), hour=10).count() == 2

    page.goto(f"{live_server.url}/projects/{project.pk}/work-products/mapping/studies/{study.pk}/import/")
    bad = tmp_path / "runder.csv"
    bad.write_text("dato;time;sone;opptatt\n04.02.2027;08:00;Kantina;1\n04.02.2027;09:00;Øst;-2\n", encoding="utf-8")
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Importer", exact=True).click()
    expect(page.get_by_text("Ingenting ble importert: runder.csv har 2 feil.")).to_be_visible()  # read by the worker
    expect(page.get_by_role("cell", name="C (sone)")).to_be_visible()
    check_accessibility(page, "mapping-import-errors")
    page.screenshot(path="var/screenshots/mapping-import-errors.png", full_page=True)

    page.goto(f"{live_server.url}/projects/{project.pk}/work-products/area_programme/")
    expect(page.get_by_text("Programmet gir 30,3 m² per ansatt, mer enn normen på 28,0 m²")).to_be_visible()
    check_accessibility(page, "area-programme")
    page.screenshot(path="var/screenshots/area-programme.png", full_page=True)
    log_out(page)

    log_in(page, "knut@example.no", PASSWORD)
    page.get_by_role("link", name="Romkatalog").click()
    expect(page.get_by_role("link", name="Endre Åpen arbeidsplass")).to_be_visible()
    check_accessibility(page, "room-catalogue")
