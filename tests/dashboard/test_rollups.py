"""The overview reads each project's rollups (`phases.rollups`, `participation.rollups`). Every service
that changes what they summarise stores them again in its own transaction: after each one, the rollup
equals one computed afresh from the rows, and it changed (so a service that forgot to refresh would fail here)."""

import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from evaluation import services as evaluation_services
from participation import rollups as participation_rollups
from participation import services as participation_services
from participation.models import ParticipationRollup
from phases import rollups as phase_rollups
from phases import services as phase_services
from phases.models import ChecklistItem, Phase, ProjectProgress
from projects import services as project_services
from projects.extensions import rollups_refresh
from projects.models import Membership, Role
from tests.factories import ProjectFactory, coordinator, member

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 15)
STEPS = Path(__file__).resolve().parents[1] / "participation" / "mini_steps.toml"
# The small template with participation steps, plus the move-in item that recording the move-in ticks and an
# activity whose deadline counts from the move-in (so recording and correcting it move that deadline).
EXTRA = """
    [[phases.activities.items]]
    key = "move-in-date"
    text = { nb = "Innflyttingsdato registrert", en = "Move-in date recorded" }
    mandatory = true

  [[phases.activities]]
  key = "settle"
  name = { nb = "Etter innflytting", en = "After move-in" }
  owner_role = "owner"
  track = "internal"
  due = { from = "move_in", days = 30 }
  guidance = { nb = "Følg opp.", en = "Follow up." }

    [[phases.activities.items]]
    key = "settled"
    text = { nb = "Fulgt opp etter innflytting", en = "Followed up after move-in" }
    mandatory = true
"""


@pytest.fixture
def today():
    with time_machine.travel(datetime.datetime(2027, 3, 15, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield TODAY


@pytest.fixture
def template(db):
    text = STEPS.read_text().replace('key = "mini-steps"', 'key = "mini-summary"') + EXTRA
    return phase_services.template_load(text=text, source="mini-summary.toml")[0]


@pytest.fixture
def project(today):
    project = ProjectFactory(
        name="Økonomi flytter", start_date=datetime.date(2027, 1, 4), planned_move_in=datetime.date(2027, 9, 1)
    )
    project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    project.safety_rep = member(project, Role.SAFETY_REP, full_name="Siri Verne")
    project.union_rep = member(project, Role.UNION_REP, full_name="Tor Tillit")
    project.oh = member(project, Role.OH_SERVICE, full_name="Berit Helse")
    project.coordinator = coordinator()
    rollups_refresh([project.pk])  # the members were added behind the services' back: store as a backfill does
    return project


def _stored(module, model, pk):
    """The rollup of the project; none stored reads as the model's defaults (as the overview reads it)."""
    empty = {name: model._meta.get_field(name).get_default() for name in module.FIELDS}
    return module.stored([pk]).get(pk, empty)


def _fresh(module, pk):
    return module.fresh([pk])[pk]


def summaries(project):
    return (
        _stored(phase_rollups, ProjectProgress, project.pk),
        _stored(participation_rollups, ParticipationRollup, project.pk),
    )


class Changes:
    """Runs a service and checks the project's rollups afterwards."""

    def __init__(self, project):
        self.project = project
        self.before = summaries(project)

    def __call__(self, label, fn):
        fn()
        pk = self.project.pk
        after = summaries(self.project)
        assert after[0] == _fresh(phase_rollups, pk), f"{label}: the process rollup is stale"
        assert after[1] == _fresh(participation_rollups, pk), f"{label}: the participation rollup is stale"
        assert after != self.before, f"{label}: changed nothing the overview summarises (a useless check)"
        self.before = after


def test_every_service_that_changes_the_overview_stores_its_summary(project, template):
    owner, coord = project.owner, project.coordinator
    change = Changes(project)
    change("process_start", lambda: phase_services.process_start(project=project, template=template, by=owner))

    def item(key):
        return ChecklistItem.objects.get(project=project, key=key)

    change("item done", lambda: phase_services.item_set_done(item=item("workshop"), by=owner, done=True))
    change("item open again", lambda: phase_services.item_set_done(item=item("workshop"), by=owner, done=False))
    change(
        "item not applicable",
        lambda: phase_services.item_set_not_applicable(item=item("visit"), by=owner, reason="Ikke aktuelt."),
    )
    change(
        "item deadline",
        lambda: phase_services.item_plan(
            item=item("frame"), by=owner, assignee=None, due_date=datetime.date(2027, 1, 6)
        ),
    )

    step = project.participation_steps.get(key="mandate-consultation")

    def send():
        participation_services.step_update(step=step, by=owner, summary="Mandatet legges fram.", meetings=[])
        participation_services.step_send(step=step, by=owner)

    change("step sent", send)
    change(
        "objection",
        lambda: participation_services.signoff_record(
            step=step, by=project.union_rep, decision="objection", text="Skjerming mangler."
        ),
    )
    change(
        "last sign-off",
        lambda: participation_services.signoff_record(step=step, by=project.safety_rep, decision="approved"),
    )
    safety = Membership.objects.get(project=project, user=project.safety_rep, role=Role.SAFETY_REP)
    change(
        "signer loses the role",
        lambda: project_services.membership_change_role(membership=safety, role=Role.VIEWER, by=owner),
    )
    change(
        "signer gets the role back",
        lambda: project_services.membership_change_role(membership=safety, role=Role.SAFETY_REP, by=owner),
    )
    change("signer removed", lambda: project_services.membership_remove(membership=safety, by=owner))
    change(
        "signer added again",
        lambda: project_services.membership_add(
            project=project, user=project.safety_rep, role=Role.SAFETY_REP, by=owner
        ),
    )

    first = Phase.objects.get(project=project, order=1)
    change("gate overridden", lambda: phase_services.phase_complete(phase=first, by=coord, override_reason="Haster."))
    change("phase reopened", lambda: phase_services.phase_reopen(phase=first, by=coord, reason="Må tilbake."))
    change(
        "planned move-in moved (replanned)",
        lambda: project_services.project_update(project=project, by=owner, planned_move_in=datetime.date(2027, 11, 1)),
    )
    # Only the move-in item and the one after the move-in left open, so moving their deadlines shows.
    ChecklistItem.objects.filter(project=project).exclude(key__in=["move-in-date", "settled"]).update(status="done")
    rollups_refresh([project.pk])
    change.before = summaries(project)
    change(
        "move-in recorded",
        lambda: evaluation_services.movein_record(
            early_confirmed=True, project=project, by=owner, move_in=datetime.date(2027, 3, 1)
        ),
    )
    change(
        "move-in corrected",
        lambda: evaluation_services.movein_correct(
            evaluation=project.evaluation, by=coord, move_in=datetime.date(2027, 3, 8), reason="Feil dato."
        ),
    )


@time_machine.travel(datetime.datetime(2027, 1, 5, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_the_overview_shows_what_the_services_stored(client, project, template):
    """Through the services alone (no refresh by hand), the overview shows the change at the next request."""
    owner = project.owner
    phase_services.process_start(project=project, template=template, by=owner)
    client.force_login(project.coordinator)
    url = reverse("dashboard:overview") + "?attention=overdue"
    assert [r.name for r in client.get(url).context["page"].object_list] == []
    frame = ChecklistItem.objects.get(project=project, key="frame")
    phase_services.item_plan(item=frame, by=owner, assignee=None, due_date=datetime.date(2027, 1, 4))
    rows = client.get(url).context["page"].object_list
    assert [(r.name, r.mandatory_overdue) for r in rows] == [("Økonomi flytter", 1)]
    phase_services.item_set_done(item=frame, by=owner, done=True)
    assert [r.name for r in client.get(url).context["page"].object_list] == []


def test_overdue_is_read_against_today_not_stored(client, project, template):
    """The summary stores deadlines, not "overdue": the same stored row is overdue the day after the deadline."""
    with time_machine.travel(datetime.datetime(2027, 1, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        phase_services.process_start(project=project, template=template, by=project.owner)
        stored = phase_rollups.stored([project.pk])
    first_due = ProjectProgress.objects.get(project=project).mandatory_first_due
    url = reverse("dashboard:overview") + "?attention=overdue"
    day_of = datetime.datetime.combine(first_due, datetime.time(10), tzinfo=datetime.UTC)
    with time_machine.travel(day_of, tick=False):
        client.force_login(project.coordinator)
        assert client.get(url).context["page"].object_list == []
    with time_machine.travel(day_of + datetime.timedelta(days=1), tick=False):
        client.force_login(project.coordinator)
        assert [r.name for r in client.get(url).context["page"].object_list] == ["Økonomi flytter"]
    assert phase_rollups.stored([project.pk]) == stored


def test_backfill_stores_the_summary_of_rows_written_behind_the_services(project, template):
    phase_services.process_start(project=project, template=template, by=project.owner)
    ChecklistItem.objects.filter(project=project).update(status="done")
    assert phase_rollups.stored([project.pk]) != phase_rollups.fresh([project.pk])
    rollups_refresh([project.pk])
    assert phase_rollups.stored([project.pk]) == phase_rollups.fresh([project.pk])
    assert ProjectProgress.objects.get(project=project).mandatory_open == 0


def test_the_command_stores_the_summaries_again(project, template):
    phase_services.process_start(project=project, template=template, by=project.owner)
    ChecklistItem.objects.filter(project=project).update(status="done")  # a repair behind the services
    out = io.StringIO()
    call_command("refresh_rollups", stdout=out)
    assert "1 projects" in out.getvalue()
    assert ProjectProgress.objects.get(project=project).mandatory_open == 0
    assert phase_rollups.stored([project.pk]) == phase_rollups.fresh([project.pk])


def test_a_backfill_of_many_projects_on_postgresql_stores_the_same_as_the_services(postgres, template, monkeypatch):
    """From VALUES_UPDATE_FROM projects on, PostgreSQL writes the rollups back with one UPDATE … FROM (VALUES …)
    instead of bulk_update's CASE per field and row (issue 30: the 20 000-project benchmark build); lowered here
    so that two projects take that path."""
    from projects import extensions

    monkeypatch.setattr(extensions, "VALUES_UPDATE_FROM", 2)
    projects = [ProjectFactory(name=f"Prosjekt {n}") for n in range(3)]
    for p in projects:
        p.owner = member(p, Role.OWNER)
        phase_services.process_start(project=p, template=template, by=p.owner)
    ChecklistItem.objects.filter(project=projects[0]).update(status="done")
    Phase.objects.filter(project=projects[1], order=1).update(
        completed_at=datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    )
    ids = [p.pk for p in projects]
    assert phase_rollups.stored(ids) != phase_rollups.fresh(ids)
    rollups_refresh(ids)
    assert phase_rollups.stored(ids) == phase_rollups.fresh(ids)
    assert participation_rollups.stored(ids) == participation_rollups.fresh(ids)
    assert ProjectProgress.objects.get(project=projects[0]).mandatory_open == 0
    assert ProjectProgress.objects.get(project=projects[1]).current_phase_order == 2
