"""Demo data: 2025/1500 (moved in, inside its evaluation window) has a closed baseline and follow-up with enough
answers to show results and the change, one unit under 5 (hidden), and the follow-up's figures in the
evaluation; 2026/1001 (phase 1) has a running baseline and a comment round on the rules of use with comments,
answers and a summary. Idempotent: a project that has surveys is left as it is."""

import random
from datetime import timedelta

from django.utils import timezone

from projects.models import Role

from . import services
from .models import CommentRound, Survey

NOISE_BEFORE = [4, 5, 4, 3, 4, 5, 4, 4, 3, 5]
NOISE_AFTER = [2, 3, 2, 1, 3, 2, 2, 4, 2, 3]
FREE_TEXTS = [
    "Savner faste plasser for dem som jobber med papirsaker.",
    "Stillerommene er for få når alle er på kontoret tirsdag.",
    "",
    "Lyset ved vinduene er mye bedre enn før.",
]


def _owner_of(project):
    return project.memberships.filter(role=Role.OWNER).select_related("user").first().user


def _people(prefix, units):
    return [(f"{prefix}.{u}{i}@ansatt.demo.kommune.no", unit) for u, (unit, n) in enumerate(units) for i in range(n)]


def _answer(survey, skip, values, rng):
    """Everybody answers but every `skip`-th person (so the small unit at the end of the list answers too)."""
    for i, invitation in enumerate(survey.invitations.order_by("pk")):
        if i % skip == 2:
            continue
        link = services.Link(survey=survey, invitation=invitation)
        services.survey_answer(link=link, values=values(i, rng), free_text=FREE_TEXTS[i % len(FREE_TEXTS)])


def _values(noise, shift):
    def make(i, rng):
        out = {}
        for q in ("concentration", "collaboration", "calls", "finding-a-place", "storage", "ict", "light-air",
                  "belonging", "overall"):  # fmt: skip
            out[q] = max(1, min(5, rng.choice([3, 4, 4, 5]) + shift.get(q, 0)))
        out["noise"] = noise[i % len(noise)]
        out["storage"] = 0 if i % 7 == 0 else out["storage"]  # "not relevant" now and then
        for key in ("goal-1", "goal-2"):
            out[key] = rng.choice([2, 3, 3, 4])
        return out

    return make


def seed(projects, users):
    today = timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 (demo data, not a secret)
    services.questionnaires_load_shipped()
    questionnaire = services.Questionnaire.objects.filter(key="workplace").order_by("-version").first()
    inside = projects.get("2025/1500")
    if inside is not None and not Survey.objects.filter(project=inside).exists():
        _seed_before_after(inside, questionnaire, today, rng)
    early = projects.get("2026/1001")
    if early is not None and not Survey.objects.filter(project=early).exists():
        _seed_running(early, questionnaire, today, rng)


def _seed_before_after(project, questionnaire, today, rng):
    owner = _owner_of(project)
    units = [("Saksbehandling", 16), ("Merkantil", 8), ("Ledelse", 4)]
    dates = {"opens_on": today, "closes_on": today + timedelta(days=14)}
    baseline = services.survey_start(
        project=project, kind=Survey.Kind.BASELINE, by=owner, addresses=_people("for", units),
        questionnaire=questionnaire, _check_phase=False, **dates,
    )  # fmt: skip
    _answer(baseline, 7, _values(NOISE_BEFORE, {}), rng)
    services.survey_close(survey=baseline, by=owner)
    # The baseline ran in phase 1, before the move: its dates are moved back to then (demo data only).
    Survey.objects.filter(pk=baseline.pk).update(
        opens_on=today - timedelta(days=560),
        closes_on=today - timedelta(days=546),
        closed_on=today - timedelta(days=546),
    )
    follow_up = services.survey_start(
        project=project, kind=Survey.Kind.FOLLOW_UP, by=owner, addresses=_people("etter", units), **dates
    )
    _answer(follow_up, 9, _values(NOISE_AFTER, {"collaboration": 1, "concentration": -1}), rng)
    services.survey_close(survey=follow_up, by=owner)
    Survey.objects.filter(pk=follow_up.pk).update(
        opens_on=today - timedelta(days=20), closes_on=today - timedelta(days=6), closed_on=today - timedelta(days=6)
    )
    follow_up.refresh_from_db()
    services.results_transfer(survey=follow_up, by=owner)


def _seed_running(project, questionnaire, today, rng):
    owner = _owner_of(project)
    survey = services.survey_start(
        project=project, kind=Survey.Kind.BASELINE, by=owner, addresses=_people("ansatt", [("Økonomiseksjonen", 20)]),
        questionnaire=questionnaire, opens_on=today, closes_on=today + timedelta(days=14),
    )  # fmt: skip
    _answer(survey, 3, _values(NOISE_BEFORE, {}), rng)
    if CommentRound.objects.filter(project=project).exists():
        return
    from .step_content import round_steps

    offered = round_steps(project)[0]  # the rules of use's consultation, where the template has one
    step = next((s for s in offered if s.key == "house-rules-consultation"), offered[0] if offered else None)
    if step is None:
        return
    round_ = services.round_start(
        project=project, by=owner, title="Bruksregler for den nye sonen",
        draft=(
            "Forslag til bruksregler:\n1. Stillesonen er for konsentrert arbeid; telefoner tas i telefonrom.\n"
            "2. Ingen faste plasser, men teamet har sin egen sone.\n3. Skrivebordet ryddes hver dag."
        ),
        closes_on=today + timedelta(days=10), addresses=_people("ansatt", [("Økonomiseksjonen", 20)]), step=step,
    )  # fmt: skip
    recipients = list(round_.recipients.order_by("pk")[:3])
    texts = [
        "Vi trenger flere telefonrom enn to for 42 personer.",
        "Fint med egen sone for teamet. Kan vi ha noen faste plasser for dem med spesialutstyr?",
        "Hvem sørger for at stillesonen faktisk er stille?",
    ]
    comments = []
    for recipient, text in zip(recipients, texts, strict=True):
        comments.append(services.round_comment(link=services.Link(round=round_, recipient=recipient), text=text))
    services.comment_answer(
        comment=comments[0], by=owner, answer="Vi planlegger fire telefonrom; det står nå i planen."
    )
    services.comment_answer(
        comment=comments[1], by=owner, answer="Ja, to plasser med fast utstyr holdes utenfor ordningen."
    )
    services.round_summary_save(
        round=round_,
        by=owner,
        summary="Tre innspill: flere telefonrom, faste plasser for spesialutstyr og hvem som passer på stillesonen. "
        "De to første er tatt inn i planen; det siste tas opp i arbeidsgruppen.",
    )
