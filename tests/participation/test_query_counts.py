"""A representative's pages cost the same number of queries with 1 project as with 50: the top bar's count
of steps waiting (a COUNT in the database), the inbox (paged, no contents, no differences), My projects, and a
project's overview, participation, step and meeting pages (the step page computes the difference)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participation import services
from phases import services as phase_services
from projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db

# The pinned counts (a change that adds a query per project, step or meeting fails here).
PINNED = {"inbox": 17, "my projects": 18, "overview": 26, "plan": 21, "step": 21, "meeting": 18}  # the bell counts one;
# the steps read their project's memberships once (whether each sign-off still counts); the inbox counts and reads
# each of its two lists apart (a COUNT and a page; the rep's decisions list is empty here, so Paginator reads no page)


def _world(steps_template, n):
    rep = UserFactory(full_name="Siri Verne")
    first = None
    for i in range(n):
        project = ProjectFactory(name=f"Prosjekt {i}", start_date=datetime.date(2027, 1, 4))
        owner = member(project, Role.OWNER)
        MembershipFactory(project=project, user=rep, role=Role.SAFETY_REP)
        member(project, Role.UNION_REP)
        phase_services.process_start(project=project, template=steps_template, by=owner)
        steps = list(project.participation_steps.order_by("id"))
        meeting = services.meeting_save(
            project=project, by=owner, type="consultation", title="Drøftingsmøte", held_on=datetime.date(2027, 2, 1),
            agenda="1. Mandat", steps=steps[:1],
        )  # fmt: skip
        upload = SimpleUploadedFile("referat.txt", b"Referat", content_type="text/plain")
        services.meeting_attachment_add(meeting=meeting, by=owner, upload=upload)
        for step in steps:
            services.step_update(step=step, by=owner, summary=f"Legges fram: {step.name_nb}.", meetings=[meeting])
            services.step_send(step=step, by=owner)
        # The rep signed the first step; then it changed, so the inbox shows what changed since.
        services.signoff_record(step=steps[0], by=rep, role=Role.SAFETY_REP, decision="approved")
        services.step_update(step=steps[0], by=owner, summary="Endret etter drøftingen.", meetings=[meeting])
        services.step_send(step=steps[0], by=owner)
        first = first or (project, steps[0], meeting)
    return rep, first


def _pages(project, step, meeting):
    return {
        "inbox": reverse("participation:inbox"),
        "my projects": reverse("projects:mine"),
        "overview": project.get_absolute_url(),
        "plan": reverse("participation:plan", args=[project.pk]),
        "step": reverse("participation:step", args=[project.pk, step.pk]),
        "meeting": reverse("participation:meeting", args=[project.pk, meeting.pk]),
    }


def _counts(client, pages):
    out = {}
    for name, url in pages.items():
        client.get(url)  # warm caches that are per process, not per request
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        out[name] = len(ctx.captured_queries)
    return out


@pytest.mark.parametrize("n", [1, 50])
def test_a_representatives_pages_cost_the_same_at_1_and_50_projects(client, steps_template, n):
    rep, (project, step, meeting) = _world(steps_template, n)
    client.force_login(rep)
    counts = _counts(client, _pages(project, step, meeting))
    assert counts == PINNED, counts


def test_the_step_shows_the_difference_and_the_inbox_counts_without_it(client, steps_template):
    rep, (project, step, meeting) = _world(steps_template, 2)
    client.force_login(rep)
    html = client.get(reverse("participation:inbox")).content.decode()
    assert "Endret etter drøftingen." not in html
    opened = client.get(reverse("participation:step", args=[project.pk, step.pk])).content.decode()
    assert "Endret etter drøftingen." in opened  # the difference since the rep signed
    # Each project has two prepared steps that need the safety rep: all four wait, and the count says so.
    assert '<span class="badge rounded-pill text-bg-warning">4<' in html


def test_the_project_overview_reads_steps_sign_offs_and_members_once(client, steps_template):
    """The participation panel and the gate's blockers share one read of the steps (with their sign-offs and
    the project's members), and the page reads the members once for the facts, the plan and the panels."""
    rep, (project, step, meeting) = _world(steps_template, 1)
    owner = project.memberships.get(role=Role.OWNER).user
    client.force_login(owner)
    client.get(project.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(project.get_absolute_url()).content.decode()
    selects = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]

    def reads(table):
        return sum(1 for sql in selects if sql.split(" FROM ", 1)[1].startswith(f'"{table}"'))

    assert reads("participation_step") == 1
    assert reads("participation_signoff") == 1
    # the viewer's roles here, the page's members (also the steps' holders), the top bar's signing roles
    assert reads("projects_membership") <= 3
    assert "Drøfting av mandatet" in html or "Venter på godkjenning" in html or step.name_nb in html
