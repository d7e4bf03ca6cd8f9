"""Ticking an item on its own page keeps the page (it once swapped in a checklist row and left the browser on
the POST-only …/toggle/ URL, so a reload gave 405)."""

import re

import pytest
from playwright.sync_api import expect

from phases import services
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_marks_an_item_done_on_its_page_and_undoes_it(page, mini_template):
    project = ProjectFactory(name="Byggesak flytter")
    owner = member(project, Role.OWNER)
    worker = member(project, Role.MEMBER, email="mona@example.no", full_name="Mona Medlem")
    services.process_start(project=project, template=mini_template, by=owner)
    item = project.phases.get(order=1).items.get(key="workshop")
    services.item_plan(item=item, by=owner, assignee=worker, due_date=None)
    url = f"/projects/{project.pk}/items/{item.pk}/"

    log_in(page, "mona@example.no", PASSWORD)
    page.goto(url)
    page.get_by_role("button", name=re.compile("Marker som utført")).click()
    expect(page.get_by_role("status")).to_contain_text("Sjekkpunktet er markert som utført.")
    expect(page.get_by_role("heading", name="Hold verksted")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Angre"))).to_be_visible()
    assert page.url.endswith(url)
    check_accessibility(page, "item-done")
    item.refresh_from_db()
    assert item.status == "done"

    page.reload()
    expect(page.get_by_role("heading", name="Hold verksted")).to_be_visible()
    page.get_by_role("button", name=re.compile("Angre")).click()
    expect(page.get_by_role("status")).to_contain_text("Sjekkpunktet er åpent igjen.")
    expect(page.get_by_role("button", name=re.compile("Marker som utført"))).to_be_visible()
    assert page.url.endswith(url)
    item.refresh_from_db()
    assert item.status == "open"
