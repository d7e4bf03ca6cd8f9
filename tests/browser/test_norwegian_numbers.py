"""Numbers as Norwegians write them (issue 24): in a Norwegian Chromium, "51,5" typed in each decimal field is
stored as 51.5 and read back as 51,5, and a difference of percentages is shown in percentage points."""

import datetime
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
    before = page.get_by_label("Før")
    assert before.get_attribute("type") == "text" and before.get_attribute("inputmode") == "decimal"
    page.get_by_label("Type").select_option("occupancy")
    page.get_by_label("Hva som måles").fill("Utnyttelse av arbeidsplassene")
    before.fill("51,5")
    page.get_by_label("Etter").fill("58.25")
    page.get_by_label("Enhet").fill("%")
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
    page.get_by_label("Før").fill("6,8")
    page.get_by_label("Etter").fill("5,9")
    page.get_by_label("Enhet").fill("%")
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
    page.get_by_label("Før").fill("4,1,5")
    page.get_by_label("Etter").fill("4,6")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Før: Oppgi et tall.")).to_be_visible()  # the error summary, linked to the field
    expect(page.get_by_label("Før")).to_have_value("4,1,5")
    expect(page.get_by_label("Etter")).to_have_value("4,6")
    assert not Figure.objects.exists()
