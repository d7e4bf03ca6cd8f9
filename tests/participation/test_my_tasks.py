"""*Mine oppgaver*: the items assigned to a person and the steps waiting for their sign-off, in one list by
deadline (overdue first), paged in the database so that it costs the same at 1 and at 50 projects."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation import services
from phases import services as phase_services
from phases.models import ChecklistItem
from projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=1))  # Oslo in winter


def _at(day, hour=12):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ), tick=False)


def _rep_project(template, rep, name, sent_on):
    """A project where `rep` is safety rep and the mandate consultation was sent for sign-off on `sent_on`."""
    project = ProjectFactory(name=name, start_date=datetime.date(2027, 1, 4))
    owner = member(project, Role.OWNER)
    MembershipFactory(project=project, user=rep, role=Role.SAFETY_REP)
    phase_services.process_start(project=project, template=template, by=owner)
    step = project.participation_steps.get(key="mandate-consultation")
    with _at(sent_on):
        services.step_update(step=step, by=owner, summary="Legges fram.", meetings=[])
        services.step_send(step=step, by=owner)
    return project


def _worker_project(template, worker, name, due_dates):
    """A project where `worker` is in the working group and responsible for items due on `due_dates`."""
    project = ProjectFactory(name=name, start_date=datetime.date(2027, 1, 4))
    owner = member(project, Role.OWNER)
    MembershipFactory(project=project, user=worker, role=Role.MEMBER)
    phase_services.process_start(project=project, template=template, by=owner)
    items = list(ChecklistItem.objects.filter(project=project).order_by("phase__order", "activity__order", "order"))
    for item, due in zip(items, due_dates, strict=False):
        phase_services.item_plan(item=item, by=owner, assignee=worker, due_date=due)
    return project


def _task_titles(html):
    return re.findall(r'<a href="[^"]*" class="fw-semibold">([^<]+)</a>', html)


def test_a_representative_sees_waiting_sign_offs_with_their_deadline_overdue_first(client, steps_template):
    rep = UserFactory(full_name="Siri Verne")
    _rep_project(steps_template, rep, "Nylig sendt", datetime.date(2027, 3, 1))  # Monday: due Monday 8 March
    _rep_project(steps_template, rep, "Lenge ventet", datetime.date(2027, 2, 1))  # due Monday 8 February
    with _at(datetime.date(2027, 3, 3)):
        client.force_login(rep)  # the session is made in the travelled time (it would have expired)
        html = client.get(reverse("tasks")).content.decode()
    assert html.index("Lenge ventet") < html.index("Nylig sendt")
    assert "2 oppgaver · 1 over fristen" in html
    assert "Som verneombud, venter siden 1. februar 2027" in html
    assert 'datetime="2027-02-08"' in html and 'datetime="2027-03-08"' in html


def test_items_and_sign_offs_share_one_order_by_deadline_across_pages(client, steps_template):
    """A person who is both in a working group and a representative: 60 items and 3 waiting sign-offs, on two
    pages, each row once, by deadline (a sign-off's deadline is five working days after it was sent)."""
    person = UserFactory(full_name="Mona Medlem")
    start = datetime.date(2027, 1, 4)
    due = [start + datetime.timedelta(days=2 * n) for n in range(60)]
    for n in range(12):
        _worker_project(steps_template, person, f"Arbeid {n:02d}", due[5 * n : 5 * n + 5])
    for sent in (datetime.date(2027, 1, 18), datetime.date(2027, 2, 15), datetime.date(2027, 4, 19)):
        _rep_project(steps_template, person, f"Godkjenning {sent:%m%d}", sent)
    dates = []
    with _at(datetime.date(2027, 2, 1)):
        client.force_login(person)
        for number in (1, 2):
            html = client.get(reverse("tasks"), {"page": number}).content.decode()
            dates += re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', html)
            if number == 1:
                assert "63 oppgaver · 15 over fristen" in html  # items due 4–30 January and one sign-off
                assert "Side 1 av 2" in html
    assert len(dates) == 63
    assert dates == sorted(dates)
    assert "2027-01-25" in dates  # sent Monday 18 January, due five working days later
    assert dates.count("2027-02-22") == 1 and "2027-04-26" in dates


@pytest.mark.parametrize("n", [1, 50])
def test_my_tasks_costs_the_same_at_1_and_50_projects(client, steps_template, n):
    """Pinned from a working-group member's view (items) and a representative's (sign-offs)."""
    worker, rep = UserFactory(), UserFactory()
    for i in range(n):
        _worker_project(steps_template, worker, f"Arbeid {i}", [datetime.date(2027, 2, 1), None])
        _rep_project(steps_template, rep, f"Godkjenning {i}", datetime.date(2027, 1, 11))
    counts = {}
    for name, person in (("member", worker), ("representative", rep)):
        client.force_login(person)
        client.get(reverse("tasks"))  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("tasks")).content.decode()
        assert len(_task_titles(html)) == min(2 * n if name == "member" else n, 50)
        counts[name] = len(queries.captured_queries)
    assert counts == {"member": 13, "representative": 18}, counts
