"""The top bar of the person with the most entries (a coordinator who is also HR and a representative, with
something waiting) fits the window from 1 200 px up, where it stops folding into a menu button: the person's
menu at the right end stays in reach without scrolling sideways."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from projects.models import Role
from projects.permissions import HR_GROUP
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, coordinator, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1200, 1280, 1400, 1600])
def test_the_fullest_top_bar_fits_the_window(chromium, live_server, width):
    person = coordinator(email="knut@example.no", full_name="Knut Koordinator-Kristiansen")
    person.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    project = ProjectFactory(name="Kultur flytter")
    member(project, Role.OWNER)
    MembershipFactory(project=project, user=person, role=Role.UNION_REP)
    context = chromium.new_context(base_url=live_server.url, locale="nb-NO", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        log_in(page, "knut@example.no", PASSWORD)
        page.goto("/projects/overview/")
        links = page.locator("header nav .navbar-nav a.nav-link")
        assert links.count() >= 8, links.all_inner_texts()
        window = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= window
        menu = page.locator("header .dropdown-toggle").bounding_box()
        assert menu["x"] + menu["width"] <= window
        brand = page.get_by_role("link", name="Prosessguiden")
        assert brand.is_visible()
        if width == 1280:  # the languages are in the person's menu there, and work from it
            page.locator("header .dropdown-toggle").click()
            page.screenshot(path="var/top-bar-1280.png", clip={"x": 0, "y": 0, "width": 1280, "height": 360})
            check_accessibility(page, "top-bar-crowded")
            page.get_by_role("button", name="English").click()
            expect(page.get_by_role("heading", name="Overview of all projects")).to_be_visible()
    finally:
        context.close()
