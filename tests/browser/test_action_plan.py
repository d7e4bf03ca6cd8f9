"""A seven-step project never records a move-in: its owner reaches the HMS action plan from the project page's tab
and adds a measure; a working-group member sees the plan without the sensitive measure."""

import re

import pytest
from playwright.sync_api import expect

from evaluation import services
from phases.services import process_start, template_load_file
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in, log_out
from tests.conftest import TEMPLATE_DIR
from tests.factories import PASSWORD, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_of_a_seven_step_project_keeps_the_hms_action_plan(page, live_server):
    project = ProjectFactory(name="Sykehjemmet sju steg")
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    member(project, Role.MEMBER, email="mona@example.no", full_name="Mona Medlem")
    process_start(project=project, template=template_load_file(path=TEMPLATE_DIR / "aml_seven_steps.toml")[0], by=owner)
    services.measure_create(
        project=project, by=owner, focus_area="Konflikt på nattevakt", goal="Løse konflikten",
        activity="Samtaler med de involverte", responsible="Kari Nordmann", source="survey", sensitive=True,
    )  # fmt: skip

    log_in(page, "kari@example.no", PASSWORD)
    page.get_by_role("link", name="Sykehjemmet sju steg").click()
    page.get_by_role("link", name="HMS-handlingsplan").click()
    expect(page.get_by_role("heading", name="HMS-handlingsplan")).to_be_visible()
    page.get_by_role("link", name="Legg til tiltak").click()
    page.get_by_label("Innsatsområde").fill("Arbeidsfordeling på kveldsvakt")
    page.get_by_role("textbox", name=re.compile(r"^Mål")).fill("Jevnere belastning mellom vaktene")
    page.get_by_label("Aktivitet").fill("Ny turnusplan drøftes på personalmøtet")
    page.get_by_label("Ansvarlig").fill("Kari Nordmann")
    page.get_by_role("combobox", name=re.compile(r"^Kilde")).select_option("survey")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("status")).to_contain_text("Tiltaket er lagret")
    plan = page.get_by_role("table", name="HMS-handlingsplan")
    expect(plan).to_contain_text("Arbeidsfordeling på kveldsvakt")
    expect(plan).to_contain_text("Konflikt på nattevakt")
    check_accessibility(page, "hms-action-plan-owner")
    log_out(page)

    log_in(page, "mona@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="HMS-handlingsplan").click()
    plan = page.get_by_role("table", name="HMS-handlingsplan")
    expect(plan).to_contain_text("Arbeidsfordeling på kveldsvakt")
    expect(plan).not_to_contain_text("Konflikt på nattevakt")
    expect(page.get_by_role("link", name="Legg til tiltak")).to_have_count(0)
    check_accessibility(page, "hms-action-plan-member")
