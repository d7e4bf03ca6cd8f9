"""A representative pages through *Til godkjenning*: the steps waiting (oldest first, a changed step marked) and
the decisions, filtered by project and by decision, each list keeping the other's page and the filter; a page
past the end shows the last one; the top bar counts every waiting step; the same in English."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from participation import services
from phases import services as phase_services
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory, member
from tests.participation.conftest import prepare_steps, revise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rep(steps_template):
    """Siri is safety representative in four projects, each with its two steps for her sent; she approved the
    risk assessment in three and objected in the fourth, approved the mandate in the first, which was then sent
    again. Four steps wait for her (the changed one last) and four decisions stand."""
    siri = UserFactory(email="siri@example.no", full_name="Siri Verne")
    projects = []
    for n, name in enumerate(
        ("Økonomiseksjonen til aktivitetsbasert kontor", "Kultur flytter", "Helse flytter", "Skole flytter"), start=1
    ):
        project = ProjectFactory(name=name, case_number=f"2027/{n:02d}", start_date=datetime.date(2027, 1, 4))
        project.owner = member(project, Role.OWNER)
        MembershipFactory(project=project, user=siri, role=Role.SAFETY_REP)
        phase_services.process_start(project=project, template=steps_template, by=project.owner)
        prepare_steps(project)
        risk = project.participation_steps.get(key="risk")
        if n < 4:
            services.signoff_record(step=risk, by=siri, decision="approved")
        else:
            services.signoff_record(step=risk, by=siri, decision="objection", text="Skjerming mangler.")
        projects.append(project)
    mandate = projects[0].participation_steps.get(key="mandate-consultation")
    services.signoff_record(step=mandate, by=siri, decision="approved")
    revise(mandate, projects[0].owner, "Ramme 2 500 000 kr")
    return siri


def waiting_list(page):
    return page.locator("section", has=page.get_by_role("heading", name=re.compile("venter på deg|wait for you")))


def decisions_list(page):
    return page.locator("section", has=page.get_by_role("heading", name=re.compile("Dine beslutninger|Your decisions")))


def test_a_representative_pages_and_filters_the_inbox(page, live_server, settings, rep):
    settings.PAGINATE_BY = 2
    log_in(page, "siri@example.no", PASSWORD)
    inbox = page.get_by_role("link", name=re.compile("Til godkjenning"))
    expect(inbox).to_contain_text("4")  # the top bar counts every waiting step, not one page
    inbox.click()
    waiting, decisions = waiting_list(page), decisions_list(page)
    expect(page.get_by_role("heading", name="4 steg venter på deg")).to_be_visible()
    expect(waiting.locator("li.list-group-item")).to_have_count(2)
    expect(waiting.locator("li.list-group-item").first).to_contain_text("Kultur flytter")  # oldest first
    expect(waiting).to_contain_text("Side 1 av 2")
    expect(decisions).to_contain_text("4 steg")
    expect(decisions).to_contain_text("Side 1 av 2")
    check_accessibility(page, "inbox-paged")

    # The second page of waiting steps: the step sent again after Siri signed it comes last, marked.
    waiting.get_by_role("navigation", name="Sider med steg som venter på deg").get_by_role("link", name="Neste").click()
    expect(waiting).to_contain_text("Side 2 av 2")
    expect(waiting.locator("li.list-group-item")).to_have_count(2)
    changed = waiting.locator("li.list-group-item").last
    expect(changed).to_contain_text("Økonomiseksjonen til aktivitetsbasert kontor")
    expect(changed).to_contain_text("Endret siden du signerte")

    # Filtering the decisions keeps the waiting list on its page, and paging the decisions keeps the filter.
    decisions.get_by_label("Beslutning").select_option("approved")
    decisions.get_by_role("button", name="Filtrer").click()
    expect(decisions).to_contain_text("3 steg")
    expect(waiting).to_contain_text("Side 2 av 2")
    expect(decisions.locator("li.list-group-item")).to_have_count(2)
    decisions.get_by_role("navigation", name="Sider med steg du har signert").get_by_role("link", name="Neste").click()
    expect(decisions).to_contain_text("Side 2 av 2")
    expect(decisions.locator("li.list-group-item")).to_have_count(1)
    expect(decisions.get_by_label("Beslutning")).to_have_value("approved")
    expect(waiting).to_contain_text("Side 2 av 2")
    expect(decisions.locator("li.list-group-item")).not_to_contain_text("Protokolltilførsel")
    check_accessibility(page, "inbox-filtered-page-2")

    # By project (its case number) and decision together; then by project alone.
    decisions.get_by_label("Prosjekt").fill("2027/04")
    decisions.get_by_label("Beslutning").select_option("")
    decisions.get_by_role("button", name="Filtrer").click()
    expect(decisions).to_contain_text("1 steg")
    expect(decisions.locator("li.list-group-item")).to_have_count(1)
    expect(decisions.locator("li.list-group-item")).to_contain_text("Skole flytter")
    expect(decisions.locator("li.list-group-item")).to_contain_text("Protokolltilførsel")
    decisions.get_by_label("Beslutning").select_option("approved")
    decisions.get_by_role("button", name="Filtrer").click()
    expect(decisions).to_contain_text("Ingenting du har signert passer med filteret.")
    decisions.get_by_role("link", name="Nullstill").click()
    expect(decisions).to_contain_text("4 steg")
    expect(waiting).to_contain_text("Side 1 av 2")

    # A page past the end shows the last page of each list.
    page.goto("/approvals/?page=9&signed_page=9")
    expect(waiting).to_contain_text("Side 2 av 2")
    expect(decisions).to_contain_text("Side 2 av 2")
    expect(decisions.locator("li.list-group-item")).to_have_count(2)

    # In English.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="4 steps wait for you")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("For approval"))).to_contain_text("4")
    expect(waiting.locator("li.list-group-item").last).to_contain_text("Changed since you signed")
    expect(decisions).to_contain_text("Page 2 of 2")
    check_accessibility(page, "inbox-english")


def test_on_a_phone_my_tasks_shows_each_deadline_without_scrolling_sideways(chromium, live_server, rep):
    context = chromium.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, "siri@example.no", PASSWORD)
        page.goto("/tasks/")
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(4)
        for i in range(4):
            row = rows.nth(i)
            row.scroll_into_view_if_needed()
            expect(row.get_by_text(re.compile(r"\d\d\.\d\d\.\d{4}")).locator("visible=true")).to_be_in_viewport(ratio=1)
        check_accessibility(page, "my-tasks-phone")
    finally:
        context.close()
