"""The overview's filters, alone and combined, return exactly the expected projects; the counts and the
attention list agree with them; sorting orders the rows."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from participation.models import SignOff
from phases.models import Activity, ChecklistItem, Phase
from phases.services import process_start
from projects.extensions import rollups_refresh
from projects.models import OrgUnit, Project, ProjectUnit, Role
from tests.factories import OrgUnitFactory, ProjectFactory, coordinator, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = date(2027, 6, 15)


@pytest.fixture
def frozen():
    with time_machine.travel(timezone.make_aware(timezone.datetime(2027, 6, 15, 10, 0)), tick=False):
        yield


def _unit(name, department):
    top, _ = OrgUnit.objects.get_or_create(name="Kommune", kind=OrgUnit.Kind.MUNICIPALITY, parent=None)
    dep, _ = OrgUnit.objects.get_or_create(name=department, kind=OrgUnit.Kind.DEPARTMENT, parent=top)
    return OrgUnitFactory(name=name, parent=dep)


@pytest.fixture
def world(steps_template):
    """Five projects that differ in one way each.

    - alfa: unit Økonomi (Finans), phase 1, an objection, move-in 1.9.2027, safety rep, owner Kari Nordmann
    - beta: unit Innkjøp (Finans), phase 2 (1 completed), no safety rep, move-in 1.3.2028
    - gamma: unit Sykehjem (Helse), phase 1, a mandatory item overdue, move-in 1.12.2027
    - delta: unit Sykehjem (Helse), all phases completed, status completed, actual move-in 1.1.2027
    - eps: no unit, no process, cancelled, address "=HYPERLINK(x)"
    """
    units = {
        "okonomi": _unit("Økonomi", "Finans"),
        "innkjop": _unit("Innkjøp", "Finans"),
        "sykehjem": _unit("Sykehjem", "Helse"),
    }
    w = {"units": units, "coordinator": coordinator()}
    specs = [
        ("alfa", "Alfa flytter", "okonomi", date(2027, 9, 1), None, "active", "Kari Nordmann"),
        ("beta", "Beta bygger om", "innkjop", date(2028, 3, 1), None, "active", "Ola Berg"),
        ("gamma", "Gamma samlokaliseres", "sykehjem", date(2027, 12, 1), None, "active", "Per Leder"),
        ("delta", "Delta ferdig", "sykehjem", date(2026, 12, 20), date(2027, 1, 1), "completed", "Siri Sol"),
        ("eps", "Eps avlyst", None, None, None, "cancelled", "Ada Avlyst"),
    ]
    for key, name, unit, planned, actual, status, owner_name in specs:
        project = ProjectFactory(
            name=name, planned_move_in=planned, actual_move_in=actual, status=status,
            start_date=date(2027, 1, 1), address="=HYPERLINK(x)" if key == "eps" else "",
        )  # fmt: skip
        owner = member(project, Role.OWNER, full_name=owner_name)
        if key != "beta":
            member(project, Role.SAFETY_REP)
        rep = member(project, Role.UNION_REP)
        if unit:
            ProjectUnit.objects.create(project=project, unit=units[unit])
        if key != "eps":
            process_start(project=project, template=steps_template, by=owner)
            # Nothing is overdue unless the test says so: deadlines far ahead.
            ChecklistItem.objects.filter(project=project).update(due_date=date(2030, 1, 1))
            Activity.objects.filter(project=project).update(due_date=date(2030, 1, 1))
            Phase.objects.filter(project=project).update(planned_end=date(2030, 1, 1))
        w[key] = project
        w[f"{key}_rep"] = rep
    w["beta"].phases.filter(order=1).update(completed_at=timezone.now())
    w["delta"].phases.update(completed_at=timezone.now())
    ChecklistItem.objects.filter(project=w["delta"]).update(status="done")
    ChecklistItem.objects.filter(project=w["gamma"], mandatory=True).filter(pk__in=[
        ChecklistItem.objects.filter(project=w["gamma"], mandatory=True).order_by("pk").first().pk
    ]).update(due_date=TODAY - timedelta(days=3))  # fmt: skip
    step = w["alfa"].participation_steps.get(key="mandate-consultation")
    SignOff.objects.create(
        step=step, step_version=step.version, role=Role.UNION_REP, signer=w["alfa_rep"], decision="objection",
        text="Skjerming er ikke ivaretatt.", content_hash=step.content_hash or "0" * 64, content="{}",
    )  # fmt: skip
    # The rows above were written behind the services' back: store the overview's summaries as a backfill does.
    rollups_refresh(Project.objects.values_list("pk", flat=True))
    return w


def names(client, query=""):
    response = client.get(reverse("dashboard:overview") + query)
    assert response.status_code == 200
    return sorted(row.name.split()[0] for row in response.context["page"].object_list)


@pytest.fixture
def coord(client, world):
    client.force_login(world["coordinator"])
    return client


ALL = ["Alfa", "Beta", "Delta", "Eps", "Gamma"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("?q=beta", ["Beta"]),
        ("?q=nordmann", ["Alfa"]),  # the owner's name
        ("?q=sykehjem", ["Delta", "Gamma"]),  # the unit's name
        ("?status=active", ["Alfa", "Beta", "Gamma"]),
        ("?status=cancelled", ["Eps"]),
        ("?phase=first", ["Alfa", "Gamma"]),
        ("?phase=second", ["Beta"]),
        ("?phase=completed", ["Delta"]),
        ("?objections=yes", ["Alfa"]),
        ("?objections=no", ["Beta", "Delta", "Eps", "Gamma"]),
        ("?attention=any", ["Alfa", "Beta", "Gamma"]),
        ("?attention=objections", ["Alfa"]),
        ("?attention=no_safety_rep", ["Beta"]),
        ("?attention=overdue", ["Gamma"]),
        ("?attention=gate_blocked", []),
        ("?move_in_from=2027-10-01", ["Beta", "Gamma"]),
        ("?move_in_to=2027-10-01", ["Alfa", "Delta"]),  # delta by its actual move-in
        ("?move_in_from=2027-01-01&move_in_to=2027-12-31", ["Alfa", "Delta", "Gamma"]),
        ("?status=active&phase=first&move_in_from=2027-10-01", ["Gamma"]),
        ("?q=a&status=active&attention=any&objections=no", ["Beta", "Gamma"]),
    ],
)
def test_each_filter_alone_and_combined(coord, query, expected):
    assert names(coord, query) == expected


def test_organisation_filter_takes_a_unit_or_a_whole_department(coord, world):
    units = world["units"]
    assert names(coord, f"?organisation={units['okonomi'].pk}") == ["Alfa"]
    finance = units["okonomi"].parent
    assert names(coord, f"?organisation={finance.pk}") == ["Alfa", "Beta"]
    assert names(coord, f"?organisation={finance.pk}&phase=second") == ["Beta"]


def test_invalid_filter_shows_the_error_and_no_rows(coord):
    response = coord.get(reverse("dashboard:overview") + "?move_in_from=not-a-date&phase=nonsense")
    assert response.status_code == 200
    assert response.context["page"].object_list == []
    assert "move_in_from" in response.context["filterset"].form.errors
    assert "Noen filtre er ugyldige" in response.content.decode()


def test_counts_follow_the_filters(coord):
    response = coord.get(reverse("dashboard:overview"))
    numbers = response.context["numbers"]
    assert (numbers["total"], numbers["att_any"], numbers["att_objections"]) == (5, 3, 1)
    assert (numbers["att_no_safety_rep"], numbers["att_overdue"], numbers["att_gate_blocked"]) == (1, 1, 0)
    phases = {label: n for _value, label, n in response.context["breakdowns"][0]["rows"]}
    assert phases == {"1. Første fase": 2, "2. Andre fase": 1, "Alle faser fullført eller ingen prosess": 2}
    numbers = coord.get(reverse("dashboard:overview") + "?phase=first").context["numbers"]
    assert (numbers["total"], numbers["att_any"]) == (2, 2)


def test_attention_list_names_the_reasons(coord):
    response = coord.get(reverse("dashboard:overview"))
    reasons = {e.project.name: [text for _a, text in e.reasons] for e in response.context["attention"]}
    assert reasons == {
        "Alfa flytter": ["1 protokolltilførsel er registrert"],
        "Beta bygger om": ["Verneombud er ikke oppnevnt"],
        "Gamma samlokaliseres": ["1 obligatorisk sjekkpunkt har passert fristen"],
    }


def test_gate_blocked_for_long_after_thirty_days_past_the_phase_end(coord, world):
    Phase.objects.filter(project=world["gamma"], order=1).update(planned_end=TODAY - timedelta(days=31))
    rollups_refresh([world["gamma"].pk])
    assert names(coord, "?attention=gate_blocked") == ["Gamma"]
    Phase.objects.filter(project=world["gamma"], order=1).update(planned_end=TODAY - timedelta(days=29))
    rollups_refresh([world["gamma"].pk])
    assert names(coord, "?attention=gate_blocked") == []


def test_rows_sort_by_a_column_both_ways(coord):
    def order(sort):
        response = coord.get(reverse("dashboard:overview") + f"?sort={sort}")
        return [row.name.split()[0] for row in response.context["page"].object_list]

    assert order("planned_move_in") == ["Delta", "Alfa", "Gamma", "Beta", "Eps"]  # no date last
    assert order("-planned_move_in") == ["Beta", "Gamma", "Alfa", "Delta", "Eps"]
    assert order("-objections")[0] == "Alfa"
    assert order("unknown") == ALL


def test_next_deadline_is_named(coord, world):
    response = coord.get(reverse("dashboard:overview") + "?q=gamma")
    html = response.content.decode()
    item = ChecklistItem.objects.filter(project=world["gamma"], due_date__lt=TODAY).get()
    assert item.text_nb in html
    assert "Forfalt" in html


def test_pagination_keeps_the_filters(coord, world, steps_template):
    for n in range(55):
        ProjectFactory(name=f"Zeta {n:02d}", status="active")
    response = coord.get(reverse("dashboard:overview") + "?status=active")
    assert len(response.context["page"].object_list) == 50
    assert "?status=active&amp;page=2" in response.content.decode()
    second = coord.get(reverse("dashboard:overview") + "?status=active&page=2")
    assert len(second.context["page"].object_list) == 8


# Every filter against a plain Python reading of the source rows (not the rollups the overview reads): the same
# projects, today and on a later "today" where the stored dates have passed without any row changing.


def _first_open_phase(project):
    return project.phases.filter(completed_at__isnull=True).order_by("order").first()


def _python_attention(project, today):
    """{condition: bool} from the rows themselves, as a coordinator would check them by hand."""
    from evaluation.models import Evaluation
    from participation.selectors import live_objections

    items = ChecklistItem.objects.filter(project=project, mandatory=True, status="open")
    phase = _first_open_phase(project)
    gate = False
    if phase is not None:
        ends = [d for d in phase.activities.values_list("due_date", flat=True) if d]
        end = phase.planned_end or (max(ends) if ends else None)
        gate = bool(items.filter(phase=phase).exists() and end and end < today - timedelta(days=30))
    evaluation = Evaluation.objects.filter(project=project).first()
    return {
        "gate_blocked": gate,
        "objections": live_objections().filter(step__project=project).exists(),
        "evaluation_overdue": bool(
            evaluation and not evaluation.completed_at and evaluation.window_opens <= today > evaluation.window_closes
        ),
        "no_safety_rep": not project.memberships.filter(role=Role.SAFETY_REP).exists(),
        "overdue": items.filter(due_date__lt=today).exists(),
    }


def _python_match(project, key, value, today):
    from projects import search

    move_in = project.actual_move_in or project.planned_move_in
    if key == "q":
        owners = project.memberships.filter(role=Role.OWNER).values_list("user__full_name", flat=True)
        units = project.project_units.values_list("unit__name", flat=True)
        texts = [" ".join([project.name, project.case_number, project.address, project.building]), *owners, *units]
        return any(all(w in search.fold(text) for w in search.words(value)) for text in texts)
    if key == "status":
        return project.status == value
    if key == "phase":
        phase = _first_open_phase(project)
        if value == "completed":
            return phase is None and project.phases.exists()
        return phase is not None and phase.key == value
    if key == "objections":
        return _python_attention(project, today)["objections"] == (value == "yes")
    if key == "attention":
        flags = _python_attention(project, today)
        hit = any(flags.values()) if value == "any" else flags[value]
        return project.status == "active" and hit if value == "any" else hit
    if key == "move_in_from":
        return move_in is not None and move_in >= date.fromisoformat(value)
    if key == "move_in_to":
        return move_in is not None and move_in <= date.fromisoformat(value)
    raise AssertionError(key)


FILTERS = [
    {"q": "okonomi"}, {"q": "ØKONOMI"}, {"q": "nordmann"}, {"q": "kari nordmann"}, {"q": "sykehjem"},
    {"q": "flytter alfa"}, {"q": "hyperlink"}, {"q": "finnes ikke"},
    {"status": "active"}, {"status": "completed"}, {"status": "cancelled"},
    {"phase": "first"}, {"phase": "second"}, {"phase": "completed"},
    {"objections": "yes"}, {"objections": "no"},
    {"attention": "any"}, {"attention": "gate_blocked"}, {"attention": "objections"},
    {"attention": "no_safety_rep"}, {"attention": "overdue"}, {"attention": "evaluation_overdue"},
    {"move_in_from": "2027-10-01"}, {"move_in_to": "2027-10-01"},
    {"q": "a", "status": "active", "attention": "any"}, {"phase": "first", "attention": "overdue"},
]  # fmt: skip


@pytest.mark.parametrize("later", [False, True], ids=["today", "three years on"])
def test_every_filter_returns_what_the_rows_say(coord, world, later):
    """Alfa's first phase ended 40 days ago (gate blocked), Beta moved in (its evaluation window closes later);
    three years on every deadline (1.1.2030) and the window have passed: the same stored rows, read against the
    new today."""
    from evaluation.services import movein_record

    Phase.objects.filter(project=world["alfa"], order=1).update(planned_end=TODAY - timedelta(days=40))
    rollups_refresh([world["alfa"].pk])
    owner = world["beta"].memberships.get(role=Role.OWNER).user  # Beta moved in: an evaluation window to miss
    movein_record(early_confirmed=True, project=world["beta"], by=owner, move_in=date(2027, 1, 10))
    day = date(2030, 3, 1) if later else TODAY
    with time_machine.travel(timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10, 0)), tick=False):
        coord.force_login(world["coordinator"])  # a session from 2027 has expired by 2030
        projects = list(Project.objects.order_by("name"))
        for query in FILTERS:
            expected = [
                p.name.split()[0] for p in projects if all(_python_match(p, k, v, day) for k, v in query.items())
            ]
            assert names(coord, "?" + urlencode(query)) == sorted(expected), query
        counts = coord.get(reverse("dashboard:overview")).context["numbers"]
        for key in ("gate_blocked", "objections", "no_safety_rep", "overdue", "evaluation_overdue"):
            active = [p for p in projects if p.status == "active"]
            assert counts[f"att_{key}"] == sum(_python_attention(p, day)[key] for p in active), key
    if later:
        coord.force_login(world["coordinator"])
        assert names(coord, "?attention=overdue") == ["Gamma"]  # back to the fixture's today
