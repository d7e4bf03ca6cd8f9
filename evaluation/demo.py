"""Demo data for move-in, freeze, evaluation and HMS measures, with dates counted from today.

2025/2040 moved in recently (freeze period, window not yet open), 2025/1500 is inside its window with a plan
and sensitive measures, and 2024/0900 moved in well over a year ago with a completed
evaluation, an HMS plan and sick-leave figures from HR.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from projects.management.commands.seed_demo import PROJECTS
from projects.models import Role

from . import services
from .models import ChangeRequest, EvaluationResult, Figure, Measure


def seed(projects, users):
    today = timezone.localdate()
    for case, *_rest, actual, _owner, _others in PROJECTS:
        project = projects.get(case)
        if project is not None and actual is not None:
            services.movein_record(
                early_confirmed=True, project=project, by=_owner_of(project), move_in=today + timedelta(days=actual)
            )
    recent = projects.get("2025/2040")
    if recent is not None:
        _seed_recent(recent, users)
    inside = projects.get("2025/1500")
    if inside is not None:
        _seed_inside(inside, users, today)
    done = projects.get("2024/0900")
    if done is not None:
        _seed_done(done, users, today)


def _owner_of(project):
    return project.memberships.filter(role=Role.OWNER).select_related("user").first().user


def _seed_recent(project, users):
    owner = _owner_of(project)
    services.change_request_log(
        project=project, by=owner, what="Lampe over arbeidsplass 14 blinker", why="Feil på armatur.",
        category=ChangeRequest.Category.FAULT_FIX, requested_by="Mona Medlem",
    )  # fmt: skip
    services.change_request_log(
        project=project, by=owner, what="Gjøre stillerommet om til møterom",
        why="Flere ønsker et ekstra møterom for fire.", category=ChangeRequest.Category.WEAKENING,
        requested_by="Ola Berg",
    )  # fmt: skip


def _seed_inside(project, users, today):
    owner = _owner_of(project)
    evaluation = project.evaluation
    services.evaluation_plan_save(
        evaluation=evaluation, by=owner,
        scope="Har Tjenestekontoret nådd målene for samarbeid og konsentrasjonsarbeid etter flyttingen til Kronstad?",
        method_survey=True, method_interviews=True, method_occupancy=True,
        evaluator="internal", evaluator_name="EBE og HR",
        planned_start=evaluation.window_opens + timedelta(days=14),
        planned_end=evaluation.window_opens + timedelta(days=75),
    )  # fmt: skip
    services.result_save(
        evaluation=evaluation, by=owner, kind=EvaluationResult.Kind.CRITERION, criterion="leaders", score=4,
        text="Lederne bruker sonene aktivt og er synlige i hjemmeområdet.",
    )  # fmt: skip
    services.figure_add(
        evaluation=evaluation, by=owner, kind=Figure.Kind.SATISFACTION,
        label="Tilfredshet med arbeidsplassen (1–6)", before=Decimal("4.1"), after=Decimal("4.6"),
    )  # fmt: skip
    services.measure_create(
        project=project, by=owner, focus_area="Støy i åpent landskap", goal="Mindre støy i fokusområdet",
        activity="Montere absorbenter og minne om bruk av telefonrom", due_date=today + timedelta(days=45),
        responsible="Per Leder", reporting="Status i AMU", source=Measure.Source.EVALUATION,
    )  # fmt: skip
    services.measure_create(
        project=project, by=owner, focus_area="Tilrettelegging for enkeltansatt",
        goal="Skjermet arbeidsplass for en ansatt med særskilte behov",
        activity="Fast plass i stillesonen etter samtale med BHT", due_date=today - timedelta(days=10),
        responsible="Per Leder", reporting="Til verneombud", source=Measure.Source.EVALUATION, sensitive=True,
    )  # fmt: skip


def _seed_done(project, users, today):
    owner = _owner_of(project)
    evaluation = project.evaluation
    services.evaluation_plan_save(
        evaluation=evaluation, by=owner,
        scope="Evaluere om arkivløsningen, stillesonene og møterommene fungerer etter målene.",
        method_survey=True, method_observation=True, method_occupancy=True, evaluator="external",
        evaluator_name="Rådgivende arkitekter AS", planned_start=evaluation.window_opens + timedelta(days=10),
        planned_end=evaluation.window_opens + timedelta(days=60),
    )  # fmt: skip
    for criterion, score, text in (
        ("leaders", 4, "Lederne gikk foran og brukte sonene fra første dag."),
        ("employees", 3, "Medvirkningen var god i planleggingen, svakere i innflyttingsfasen."),
        ("technology", 2, "Trådløst nett og skjermer på møterom ga problemer de første månedene."),
    ):
        services.result_save(
            evaluation=evaluation, by=owner, kind=EvaluationResult.Kind.CRITERION, criterion=criterion,
            score=score, text=text,
        )  # fmt: skip
    services.result_save(
        evaluation=evaluation, by=owner, kind=EvaluationResult.Kind.GOAL,
        subject="Bedre samarbeid mellom arkiv og saksbehandling", score=4,
        text="Kortere vei mellom fagmiljøene; flere uformelle møter.",
    )  # fmt: skip
    services.figure_add(
        evaluation=evaluation, by=owner, kind=Figure.Kind.OCCUPANCY, label="Gjennomsnittlig belegg",
        before=Decimal("58"), after=Decimal("71"), unit="%",
    )  # fmt: skip
    services.figure_add(
        evaluation=evaluation, by=users["hr@demo.kommune.no"], kind=Figure.Kind.SICK_LEAVE,
        label="Sykefravær siste 12 måneder", before=Decimal("7.2"), after=Decimal("6.4"), unit="%",
    )  # fmt: skip
    services.evaluation_follow_up_save(
        evaluation=evaluation, by=owner, presented_to_leaders=today - timedelta(days=40),
        presented_to_representatives=today - timedelta(days=35), presented_to_employees=today - timedelta(days=30),
        summary="De fleste er fornøyde med løsningen. Teknologien på møterommene må bli bedre.",
        follow_up_plan="Tiltakene i HMS-handlingsplanen følges opp i AMU hvert kvartal.",
        lessons_learned="Test teknologien på møterommene før innflytting.",
    )  # fmt: skip
    for area, goal, activity, due, status, sensitive in (
        (
            "Teknologi på møterom",
            "Alle møterom har skjerm som virker",
            "Bytte skjermer og kabler i tre rom",
            -20,
            Measure.Status.IN_PROGRESS,
            False,
        ),
        ("Stillesoner", "Ro i stillesonen", "Nye skilt og påminnelse på allmøte", 30, Measure.Status.PLANNED, False),
        ("Garderobe", "Nok garderobeskap", "Ti nye skap", -60, Measure.Status.DONE, False),
        (
            "Konflikt i arbeidsgruppe",
            "Bedre samarbeidsklima i arkivteamet",
            "Samtaler med BHT og leder for de involverte",
            14,
            Measure.Status.IN_PROGRESS,
            True,
        ),
    ):
        services.measure_create(
            project=project, by=owner, focus_area=area, goal=goal, activity=activity,
            due_date=today + timedelta(days=due), responsible="Kari Nordmann", reporting="AMU",
            source=Measure.Source.EVALUATION, sensitive=sensitive, status=status,
        )  # fmt: skip
    # The parties agreed the priorities: the prioritisation step waits for the representatives' sign-off.
    priorities = {"Teknologi på møterom": 1, "Konflikt i arbeidsgruppe": 1, "Stillesoner": 2, "Garderobe": 3}
    services.measures_prioritise(
        project=project, by=owner, agreed_on=today - timedelta(days=20),
        priorities={m.pk: priorities[m.focus_area] for m in project.measures.filter(focus_area__in=priorities)},
    )  # fmt: skip
    services.evaluation_complete(evaluation=evaluation, by=owner)
