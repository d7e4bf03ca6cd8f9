"""The remaining forms in a real browser, each checked by axe: an item's page, a meeting, a step's content,
and the coordinators' template page."""

import re

import pytest
from playwright.sync_api import expect

from phases import services
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in, log_out
from tests.factories import PASSWORD, ProjectFactory, coordinator, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_works_an_item_records_a_meeting_and_edits_a_step(page, live_server, bergen_template):
    project = ProjectFactory(name="Økonomi flytter")
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    member(project, Role.MEMBER, full_name="Mona Medlem")
    member(project, Role.SAFETY_REP, full_name="Siri Verne")
    services.process_start(project=project, template=bergen_template, by=owner)
    item = project.phases.get(order=1).items.order_by("activity__order", "order").first()
    step = project.participation_steps.get(key="mandate-consultation")

    log_in(page, "kari@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/items/{item.pk}/")
    page.evaluate("window.noReload = true")  # survives only if the forms below swap in place (htmx)
    assignee = page.locator("#id_plan-assignee")
    assignee.select_option(label=assignee.locator("option", has_text="Mona Medlem").inner_text())
    page.locator("#id_plan-due_date").fill("2027-02-01")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Ansvarlig og frist er lagret.")
    page.locator("#id_comment-text").fill("Workshop holdes på Rådhuset.")
    page.get_by_role("button", name="Legg til kommentar").click()
    expect(page.get_by_text("Workshop holdes på Rådhuset.")).to_be_visible()
    page.get_by_role("button", name="Marker som ikke relevant").click()  # no reason: refused, nothing lost
    expect(page.locator("#form-errors")).to_be_visible()
    assert page.evaluate("window.noReload === true"), "the item forms reloaded the page instead of swapping in place"
    check_accessibility(page, "item")

    page.goto(f"/projects/{project.pk}/participation/meetings/new/")
    page.get_by_label("Møtetype").select_option(label="Drøftingsmøte")
    page.get_by_label("Tittel").fill("Drøftingsmøte om mandatet")
    page.get_by_label("Dato").fill("2027-01-12")
    page.get_by_label("Siri Verne").check()
    page.get_by_label("Referat").fill("Partene drøftet økonomisk ramme og milepæler.")
    page.get_by_label(step.name_nb).check()
    check_accessibility(page, "meeting-form")
    page.get_by_role("button", name="Lagre møtet").click()
    expect(page.get_by_role("status")).to_contain_text("Møtet er lagret.")
    check_accessibility(page, "meeting")

    page.goto(f"/projects/{project.pk}/participation/steps/{step.pk}/edit/")
    page.get_by_label("Sammendrag").fill("Mandatet med ramme 2 500 000 kr legges fram til drøfting.")
    check_accessibility(page, "step-edit")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Mandatet med ramme 2 500 000 kr legges fram til drøfting.")).to_be_visible()
    expect(page.get_by_text("Partene drøftet økonomisk ramme og milepæler.")).to_be_visible()
    log_out(page)

    coordinator(email="knut@example.no")
    log_in(page, "knut@example.no", PASSWORD)
    page.get_by_role("link", name="Prosessmaler").click()
    check_accessibility(page, "templates")
    page.get_by_role("link", name=re.compile("Bergen")).first.click()
    check_accessibility(page, "template")
