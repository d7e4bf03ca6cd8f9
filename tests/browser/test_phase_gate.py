"""The owner works through phase 1 of the Bergen guide in the browser: ticks every mandatory item through
the HTMX checklist, completes the phase with the success-criteria assessment, and the project moves on."""

import re

import pytest
from playwright.sync_api import expect

from participation.models import Step
from participation.services import signoff_record, step_send, step_update
from phases import services
from phases.models import ChecklistItem
from projects.models import Role
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import PASSWORD, ProjectFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_ticks_phase_one_completes_it_and_moves_to_phase_two(page, live_server, bergen_template):
    project = ProjectFactory(name="Økonomi flytter")
    owner = member(project, Role.OWNER, email="kari@example.no", full_name="Kari Nordmann")
    services.process_start(project=project, template=bergen_template, by=owner)
    phase_one = project.phases.get(order=1)
    # The representatives have signed the participation steps of phase 1 (their own browser test is elsewhere).
    signers = {role: member(project, role) for role in (Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE)}
    for step in Step.objects.filter(activity__phase=phase_one):
        step_update(step=step, by=owner, summary="Lagt fram og drøftet.", meetings=[])
        step = step_send(step=step, by=owner)
        for role in step.required_roles:
            signoff_record(step=step, by=signers[role], role=role, decision="approved")

    log_in(page, "kari@example.no", PASSWORD)
    page.goto(f"/projects/{project.pk}/")
    check_accessibility(page, "overview-with-phases")
    page.get_by_role("link", name="Faser", exact=True).click()
    expect(page.get_by_text("Nåværende fase:")).to_contain_text("Mål og behov")
    check_accessibility(page, "phases")

    for activity in phase_one.activities.order_by("order"):
        page.goto(f"/projects/{project.pk}/activities/{activity.pk}/")
        for item in activity.items.filter(mandatory=True).order_by("order"):
            row = page.locator(f"#item-{item.pk}")
            row.get_by_role("button", name=re.compile("Marker som utført")).click()
            # HTMX swaps the row in place: the button turns into "Angre" without a page load.
            expect(page.locator(f"#item-{item.pk}").get_by_role("button", name=re.compile("Angre"))).to_be_visible()
        if activity.order == 1:
            check_accessibility(page, "activity")
    assert not ChecklistItem.objects.filter(phase=phase_one, mandatory=True, status="open").exists()

    page.goto(f"/projects/{project.pk}/phases/{phase_one.pk}/complete/")
    expect(page.get_by_role("heading", name="Faseovergangen er klar")).to_be_visible()
    for select in page.locator("select").all():
        select.select_option("green")
    page.get_by_label("Kommentar til «Lederne går foran»").fill("Ledergruppen har hatt to samlinger.")
    check_accessibility(page, "phase-complete")
    page.get_by_role("button", name="Fullfør fase").click()

    expect(page.get_by_role("status")).to_contain_text("Fasen «Mål og behov» er fullført.")
    expect(page.get_by_text("Nåværende fase:")).to_contain_text("Utvikle løsning")
    expect(page.get_by_text("Ledergruppen har hatt to samlinger.")).to_be_visible()
    check_accessibility(page, "phases-after-gate")
    phase_one.refresh_from_db()
    assert phase_one.completed_by == owner
