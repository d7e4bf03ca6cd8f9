"""Numbers as Norwegians write them (issue 24): in a Norwegian Chromium, "51,5" typed in each decimal field is
stored as 51.5 and read back as 51,5, and a difference of percentages is shown in percentage points."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation import services
from evaluation.models import Figure
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in, log_out
from tests.factories import PASSWORD, ProjectFactory, hr_adviser, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The figure's value fields, not "Før: når" and the import's periods (a required field's name ends in "*").
BEFORE = re.compile(r"^\s*Før\W*$")
AFTER = re.compile(r"^\s*Etter\W*$")


def test_before_after_and_sick_leave_take_a_decimal_comma(page, live_server):
    today = timezone.localdate()
    project = ProjectFactory(name="Arkivet flytter", start_date=today - datetime.timedelta(days=500))
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    hr_adviser(email="hanne@example.no", full_name="Hanne HR")
    services.movein_record(
        early_confirmed=True, project=project, by=owner, move_in=today - datetime.timedelta(days=200)
    )

    log_in(page, "kari@example.no", PASSWORD)
    page.get_by_role("link", name="Arkivet flytter").click()
    page.get_by_role("link", name="Evaluering", exact=True).click()
    page.get_by_role("link", name="Legg til tall").click()
    before = page.get_by_label(BEFORE)
    assert before.get_attribute("type") == "text" and before.get_attribute("inputmode") == "decimal"
    page.get_by_label("Type").select_option("occupancy")
    page.get_by_label("Hva som måles").fill("Utnyttelse av arbeidsplassene")
    before.fill("51,5")
    page.get_by_label(AFTER).fill("58.25")
    page.get_by_label("Enhet", exact=True).fill("%")
    check_accessibility(page, "figure-form-decimal")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("lagret")
    figure = Figure.objects.get()
    assert (figure.before, figure.after) == (Decimal("51.5"), Decimal("58.25"))
    row = page.get_by_role("row", name="Utnyttelse av arbeidsplassene")
    expect(row).to_contain_text("51,5 %")
    expect(row).to_contain_text("58,25 %")
    expect(row).to_contain_text("+6,75 prosentpoeng")
    check_accessibility(page, "evaluation-figures-decimal")
    log_out(page)

    log_in(page, "hanne@example.no", PASSWORD)
    page.get_by_role("link", name="Arkivet flytter").click()
    page.get_by_role("link", name="Sykefravær").click()
    page.get_by_label("Hva som måles").fill("Sykefravær siste 12 måneder")
    page.get_by_label(BEFORE).fill("6,8")
    page.get_by_label(AFTER).fill("5,9")
    page.get_by_label("Enhet", exact=True).fill("%")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("lagret")
    sick = Figure.objects.get(kind=Figure.Kind.SICK_LEAVE)
    assert (sick.before, sick.after) == (Decimal("6.8"), Decimal("5.9"))  # not 68 → 59
    expect(page.get_by_text("Sykefravær siste 12 måneder: 6,8 → 5,9 %")).to_be_visible()
    check_accessibility(page, "hr-project-sick-leave-decimal")


def test_a_number_the_form_cannot_read_is_shown_again_as_typed(page, live_server):
    today = timezone.localdate()
    project = ProjectFactory(name="Arkivet flytter", start_date=today - datetime.timedelta(days=500))
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    services.movein_record(
        early_confirmed=True, project=project, by=owner, move_in=today - datetime.timedelta(days=200)
    )
    log_in(page, "kari@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/evaluation/figures/new/")
    page.get_by_label("Hva som måles").fill("Trivsel")
    page.get_by_label(BEFORE).fill("4,1,5")
    page.get_by_label(AFTER).fill("4,6")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Før: Oppgi et tall.")).to_be_visible()  # the error summary, linked to the field
    expect(page.get_by_label(BEFORE)).to_have_value("4,1,5")
    expect(page.get_by_label(AFTER)).to_have_value("4,6")
    assert not Figure.objects.exists()


def test_area_programme_and_occupancy_take_a_decimal_comma(page, live_server, bergen_template):
    """The area programme's m² per room and the occupancy study's sharing ratio: a text input with the phone's
    decimal keyboard; "51,5" and "0,75" typed in a Norwegian browser are stored as 51.5 and 0.75 and read back with
    a comma, in the table and in the form opened again."""
    from phases import services as phase_services
    from space.defaults import install
    from space.models import AreaLine, AreaNorm, OccupancyStudy, RoomType
    from tests.space.test_mapping import area_programme, small_study

    install(RoomType, AreaNorm)  # the catalogue comes from a data migration; a transactional test's flush removed it
    project = ProjectFactory(name="Arkivet flytter", start_date=datetime.date(2027, 1, 4))
    project.owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    phase_services.process_start(project=project, template=bergen_template, by=project.owner)
    area_programme(project, lines=[])
    _wp, study, _zones, _units = small_study(project)

    log_in(page, "kari@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/work-products/area_programme/")
    page.get_by_role("link", name="Legg til rom").click()
    m2 = page.get_by_label("m² per stykk")
    assert m2.get_attribute("type") == "text" and m2.get_attribute("inputmode") == "decimal"
    page.get_by_label("Romtype").select_option(label=RoomType.objects.filter(active=True).first().name)
    page.get_by_label("Antall").fill("2")
    m2.fill("51,5")
    check_accessibility(page, "area-room-decimal")
    page.get_by_role("button", name="Lagre").click()
    assert AreaLine.objects.get().m2_each == Decimal("51.5")
    expect(page.locator("#rooms")).to_contain_text("51,5")
    page.locator("#rooms").get_by_role("link", name=re.compile("^Endre")).first.click()
    expect(page.get_by_label("m² per stykk")).to_have_value("51,5")

    page.goto(f"/projects/{project.pk}/work-products/mapping/studies/{study.pk}/edit/")
    ratio = page.get_by_label("Delingsfaktor")
    assert ratio.get_attribute("type") == "text" and ratio.get_attribute("inputmode") == "decimal"
    expect(ratio).to_have_value("0,7")
    ratio.fill("0,75")
    check_accessibility(page, "occupancy-study-decimal")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", name="Før flytting")).to_be_visible()
    assert OccupancyStudy.objects.get(pk=study.pk).sharing_ratio == Decimal("0.75")
    page.goto(f"/projects/{project.pk}/work-products/mapping/studies/{study.pk}/edit/")
    expect(page.get_by_label("Delingsfaktor")).to_have_value("0,75")


def test_a_drop_in_percent_is_shown_in_percentage_points_with_a_real_minus(page, live_server):
    today = timezone.localdate()
    project = ProjectFactory(name="Arkivet flytter", start_date=today - datetime.timedelta(days=500))
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    services.movein_record(project=project, by=owner, move_in=today - datetime.timedelta(days=200))
    log_in(page, "kari@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/evaluation/figures/new/")
    page.get_by_label("Type").select_option("occupancy")
    page.get_by_label("Hva som måles").fill("Belegg i snitt")
    page.get_by_label(BEFORE).fill("58")
    page.get_by_label(AFTER).fill("51,5")
    page.get_by_label("Enhet", exact=True).fill("%")
    page.get_by_role("button", name="Lagre").click()
    row = page.get_by_role("row", name="Belegg i snitt")
    expect(row).to_contain_text("\u22126,5 prosentpoeng")  # U+2212, not a hyphen; points, not per cent
    assert "-6,5" not in row.inner_text() and "6,5 %" not in row.inner_text()
    check_accessibility(page, "evaluation-figures-minus")
