"""The shipped templates say what the seeds say (issue 16): items, mandatory flags, roles and deadlines."""

import datetime

import pytest

from phases.models import Activity, ChecklistItem, ProcessTemplate
from phases.planning import add_months
from phases.services import process_start, template_load, template_load_file
from projects.models import Role
from tests.conftest import TEMPLATE_DIR
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db

BERGEN = (TEMPLATE_DIR / "bergen_abw.toml").read_text(encoding="utf-8")


def _items(definition):
    return {(a["key"], i["key"]): i for p in definition["phases"] for a in p["activities"] for i in a["items"]}


def _activities(definition):
    return {a["key"]: a for p in definition["phases"] for a in p["activities"]}


@pytest.fixture
def bergen_project(bergen_template):
    project = ProjectFactory(start_date=datetime.date(2027, 1, 4), planned_move_in=datetime.date(2027, 5, 31))
    owner = member(project, Role.OWNER)
    process_start(project=project, template=bergen_template, by=owner)
    return project


def test_bergen_has_the_items_the_guide_asks_for(bergen_template):
    items = _items(bergen_template.definition)
    nb = {key: i["text"]["nb"] for key, i in items.items()}
    assert "strategi og mål omsettes til konkrete tiltak" in nb[("needs", "strategy-workshop")]
    assert "konkurransegrunnlag" in nb[("procurement", "tender-basis")]
    assert "kravspesifikasjon" in nb[("procurement", "tender-basis")]
    assert "innkjøpsavtaler" in nb[("building-process", "procurement-agreements")]
    assert "årlige HMS-gjennomgangen" in nb[("adjust-document", "annual-hms-review")]
    oh_review = nb[("floor-plan", "oh-service-review")]
    assert "BHT" in oh_review and "arbeidsprosesser" in oh_review
    assert "arbeidsprosessene" in nb[("floor-plan", "amu-agenda")]
    for key in [("needs", "strategy-workshop")]:
        assert items[key]["mandatory"] is False  # the guide offers it as one of several tools
    for key in [
        ("goals-vision", "success-criteria"), ("ict-plan", "test-station"), ("procurement", "tender-basis"),
        ("building-process", "procurement-agreements"), ("adjust-document", "annual-hms-review"),
        ("floor-plan", "oh-service-review"),
    ]:  # fmt: skip
        assert items[key]["mandatory"] is True, key


def test_bergen_study_visit_and_safety_rep_follow_the_guide(bergen_template):
    items = _items(bergen_template.definition)
    visit = items[("needs", "study-visit")]["text"]["nb"]
    assert visit == "Besøk andre som har innført nye arbeidsprosesser eller verktøy"
    mandate = _activities(bergen_template.definition)["mandate"]["guidance"]["nb"]
    assert "Verneombudet skal ivareta arbeidstakernes interesser" in mandate
    steps = [s for a in _activities(bergen_template.definition).values() for s in a["participation_steps"]]
    amu = [s for s in steps if s["kind"] == "amu"]
    assert "arbeidsprosess" in amu[0]["name"]["nb"]


def test_bergen_promises_what_the_product_does(bergen_template):
    text = bergen_template.source
    # Version 4 restores what issue 16 had to take out until issue 11 landed: the adopted mandate as a PDF with
    # the sign-offs (the work product's PDF prints the consultation step's), and the result in the risk matrix.
    for promise in ("det vedtatte mandatet som PDF med signaturene", "adopted mandate as a PDF with the sign-offs",
                    "Se resultatet i risikomatrisen", "See the result in the risk matrix",
                    "«Gjør til HMS-tiltak»", "«Make HMS measure»"):  # fmt: skip
        assert promise in text, promise
    # No longer the stopgap of version 3.
    assert "Last opp det vedtatte mandatet på sjekkpunktene" not in text
    assert "Attach the adopted mandate to the checklist items" not in text
    # The move-in, the freeze with its change requests and the HMS action plan: the guidance names them.
    for kept in ("«Registrer innflytting»", "som endringsønsker under fanen Evaluering",
                 "HMS-handlingsplanen under fanen Evaluering"):  # fmt: skip
        assert kept in text, kept


def test_evaluation_deadlines_are_calendar_months_after_move_in(bergen_template, bergen_project):
    evaluation = _activities(bergen_template.definition)["evaluation"]
    assert evaluation["due"] == {"from": "move_in", "months": 15}
    activity = Activity.objects.get(project=bergen_project, key="evaluation")
    assert activity.due_date == datetime.date(2028, 8, 31)  # 31 May 2027 + 15 months
    mandate = ChecklistItem.objects.get(project=bergen_project, activity=activity, key="mandate")
    assert mandate.due_date == datetime.date(2028, 1, 31)  # + 8 months, before the window opens
    freeze = ChecklistItem.objects.get(project=bergen_project, key="freeze")
    assert freeze.due_date == datetime.date(2028, 2, 29)  # + 9 months, clamped to the month's end


def test_add_months_clamps_to_the_last_day():
    assert add_months(datetime.date(2027, 5, 31), 9) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 5, 31), 9) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 1, 15), -2) == datetime.date(2026, 11, 15)
    assert add_months(datetime.date(2027, 12, 1), 1) == datetime.date(2028, 1, 1)


def test_seven_steps_has_the_intervention_team_lead_the_process():
    template = template_load_file(path=TEMPLATE_DIR / "aml_seven_steps.toml")[0]
    activities = _activities(template.definition)
    led_by_team = ("start-meeting", "process-risk", "interviews", "employee-dialogue", "write-report",
                   "present-report", "draft-measures", "evaluation-meeting")  # fmt: skip
    assert {k: activities[k]["owner_role"] for k in led_by_team} == dict.fromkeys(led_by_team, "manager")
    for leader_owns in ("prioritise-measures", "carry-out", "continue-hms"):
        assert activities[leader_owns]["owner_role"] == "owner"
    assert "innsatsteam" in template.description_nb.lower()
    assert "prosjektledere" in template.description_nb and "observatør" in template.description_nb
    training = _items(template.definition)[("continue-hms", "training")]["text"]["nb"]
    assert training.startswith("Sørg for opplæring av prosessledere")
    assert activities["evaluation-meeting"]["due"] == {"from": "start", "months": 9}


def test_shipped_templates_load_as_new_versions_and_running_projects_keep_their_copy():
    older = BERGEN.replace("version = 6", "version = 5", 1).replace(
        "Besøk andre som har innført nye arbeidsprosesser eller verktøy",
        "Besøk en enhet som har tatt i bruk aktivitetsbaserte arbeidsplasser",
    )
    v5, _ = template_load(text=older, source="bergen_abw.toml")
    project = ProjectFactory()
    process_start(project=project, template=v5, by=member(project, Role.OWNER))
    v6, created = template_load_file(path=TEMPLATE_DIR / "bergen_abw.toml")
    assert created and v6.version == 6
    assert list(ProcessTemplate.objects.filter(key="bergen-abw").values_list("version", flat=True)) == [6, 5]
    visit = ChecklistItem.objects.get(project=project, key="study-visit")
    assert visit.text_nb == "Besøk en enhet som har tatt i bruk aktivitetsbaserte arbeidsplasser"
    assert project.process.template.version == 5
    # A project started now gets the new version and its guidance.
    started = ProjectFactory()
    process_start(project=started, template=v6, by=member(started, Role.OWNER))
    mandate = Activity.objects.get(project=started, key="mandate")
    assert "det vedtatte mandatet som PDF med signaturene" in mandate.guidance_nb


def test_seven_steps_names_the_hms_action_plan_the_product_has():
    """Version 3: the HMS action plan has a tab before (and without) a move-in, so the template names it and
    asks for sensitive measures to be marked, as version 1 did, instead of "the unit's plan" kept apart."""
    template = template_load_file(path=TEMPLATE_DIR / "aml_seven_steps.toml")[0]
    assert template.version >= 3
    text = template.source
    assert "enhetens HMS-handlingsplan" not in text and "unit's HMS action plan" not in text
    assert "Skill ut sensitive tiltak" not in text and "Set apart sensitive measures" not in text
    guidance = _activities(template.definition)["prioritise-measures"]["guidance"]
    assert "under fanen HMS-handlingsplan" in guidance["nb"] and "HMS action plan tab" in guidance["en"]
    assert "marker dem som sensitive" in guidance["nb"] and "mark them as sensitive" in guidance["en"]
    assert "«Registrer prioritering»" in guidance["nb"] and "«Record priorities»" in guidance["en"]
    item = _items(template.definition)[("prioritise-measures", "sensitive")]["text"]
    assert item["nb"].startswith("Marker sensitive tiltak") and item["en"].startswith("Mark sensitive measures")


@pytest.mark.parametrize(
    "due, problem",
    [
        ('{ from = "move_in", days = 10, months = 2 }', "oppgi enten days eller months"),
        ('{ from = "move_in" }', "oppgi enten days eller months"),
        ('{ from = "move_in", months = 200 }', "helt antall måneder mellom -120 og 120"),
        ('{ from = "move_in", weeks = 2 }', "er ikke en kjent nøkkel"),
    ],
)
def test_a_deadline_is_days_or_months_never_both(due, problem):
    from phases.definition import TemplateError, parse_template

    text = BERGEN.replace('due = { from = "move_in", months = 15 }', f"due = {due}", 1)
    with pytest.raises(TemplateError, match=problem):
        parse_template(text, source="bergen_abw.toml")
