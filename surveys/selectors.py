"""Reads: a project's surveys and rounds, and the results as they may be shown.

Every figure — a count, a mean, a distribution, a response rate — is shown only for a group of at least
SURVEY_MIN_GROUP answers (never below 5), after "not relevant" is left out; per unit, as many more units are
hidden as it takes for the hidden ones to add up to that many, so that no small unit can be worked out as the
total minus the others (`stats.suppressed_groups`). Results are shown once the survey has closed.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from . import stats
from .models import Answer, CommentRound, Survey, in_language
from .services import NOT_RELEVANT, min_group


def surveys_of(project) -> dict:
    return {s.kind: s for s in Survey.objects.filter(project=project).select_related("questionnaire")}


def rounds_of(project):
    return CommentRound.objects.filter(project=project).order_by("-created_at")


@dataclass
class Figures:
    """The figures of one group for one question, or `shown=False` when the group is too small."""

    shown: bool
    n: int | None = None
    mean: float | None = None
    distribution: list = field(default_factory=list)  # [(value 1–5, count, share in %)]

    @property
    def mean_width(self):
        return round((self.mean or 0) / 5 * 100, 1)


@dataclass
class QuestionResult:
    key: str
    text: str
    total: Figures
    units: list  # [(unit, Figures)] for the units that may be shown
    hidden_units: int = 0


@dataclass
class Results:
    survey: Survey
    closed: bool
    answered: int | None  # None: too few to show
    invited: int | None
    rate: float | None
    questions: list
    free_texts: list
    enough: bool  # at least SURVEY_MIN_GROUP answers in all


def _values(answers, key):
    return [a.values[key] for a in answers if a.values.get(key, NOT_RELEVANT) != NOT_RELEVANT]


def _figures(values, k):
    n = len(values)
    if n < k:
        return Figures(shown=False)
    counts = [values.count(v) for v in range(1, 6)]
    return Figures(
        shown=True,
        n=n,
        mean=stats.mean(values),
        distribution=[(v, c, round(c / n * 100)) for v, c in zip(range(1, 6), counts, strict=True)],
    )


def _answers(survey):
    return list(Answer.objects.filter(survey=survey).only("unit", "values", "free_text").order_by("id"))


def response_counts(survey):
    """(answered, invited) as they stand: from the address list while it runs, the kept counts once closed."""
    if survey.state == Survey.State.CLOSED:
        return survey.answered_count, survey.invited_count
    if survey.open_link:
        return Answer.objects.filter(survey=survey).count(), None
    invited = survey.invitations.count()
    return survey.invitations.filter(answered=True).count(), invited


def _unit_rows(answers, key, units, k):
    """[(unit, Figures)] for the units that may be shown, and how many are hidden: every unit under k, and as many
    more as it takes for no hidden one to be worked out as the total minus the others. Answers without a unit
    are a group of their own."""
    by_unit = {u: [a.values[key] for a in answers if a.unit == u and a.values.get(key, 0) != NOT_RELEVANT]
               for u in [*units, ""]}  # fmt: skip
    by_unit = {u: v for u, v in by_unit.items() if v}
    suppressed = stats.suppressed_groups({u: len(v) for u, v in by_unit.items()}, k)
    rows = [(u or _("No unit given"), _figures(by_unit[u], k)) for u in sorted(by_unit) if u not in suppressed]
    return rows, sum(1 for u in by_unit if u in suppressed)


def results(survey: Survey, *, with_free_text: bool = False, lang: str | None = None) -> Results:
    k = min_group()
    answered, invited = response_counts(survey)
    closed = survey.is_closed()
    shown_answered = answered if answered is not None and answered >= k else None
    rate = round(answered / invited * 100) if shown_answered is not None and invited else None
    if not closed:
        return Results(survey, False, shown_answered, invited, rate, [], [], False)
    answers = _answers(survey)
    enough = len(answers) >= k
    units = sorted({a.unit for a in answers if a.unit})
    questions = []
    for q in survey.questions["questions"]:
        total = _figures(_values(answers, q["key"]) if enough else [], k)
        unit_rows, hidden = _unit_rows(answers, q["key"], units, k) if total.shown and units else ([], 0)
        questions.append(QuestionResult(q["key"], in_language(q["text"], lang), total, unit_rows, hidden))
    free = []
    if with_free_text and enough:
        free = [a.free_text for a in answers if a.free_text]
    return Results(survey, True, shown_answered, invited, rate, questions, free, enough)


@dataclass
class Comparison:
    key: str
    text: str
    before: Figures
    after: Figures
    difference: stats.Difference | None


def comparison(baseline: Survey, follow_up: Survey, *, lang: str | None = None) -> list[Comparison]:
    """Per question asked in both: the means before and after and the change with its 95 % interval (Welch),
    for questions with at least SURVEY_MIN_GROUP answers on both sides (else the figures are not shown)."""
    if baseline is None or follow_up is None or not baseline.is_closed() or not follow_up.is_closed():
        return []
    k = min_group()
    before_answers, after_answers = _answers(baseline), _answers(follow_up)
    enough = len(before_answers) >= k and len(after_answers) >= k
    out = []
    before_keys = {q["key"] for q in baseline.questions["questions"]}
    for q in follow_up.questions["questions"]:
        if q["key"] not in before_keys:
            continue
        b = _values(before_answers, q["key"]) if enough else []
        a = _values(after_answers, q["key"]) if enough else []
        fb, fa = _figures(b, k), _figures(a, k)
        diff = stats.welch_interval(b, a) if fb.shown and fa.shown else None
        out.append(Comparison(q["key"], in_language(q["text"], lang), fb, fa, diff))
    return out


def comparison_chart(rows, *, width=500):
    """Bars of the mean before and after per question (scale 0–5, drawn by the server), for the rows with figures;
    the table beside it says the same in words."""
    from django.utils.formats import number_format

    scale = width / 5
    out = [
        {
            "text": r.text,
            "before": round(r.before.mean * scale, 1),
            "after": round(r.after.mean * scale, 1),
            "before_label": number_format(r.before.mean, 1),
            "after_label": number_format(r.after.mean, 1),
        }
        for r in rows
        if r.difference is not None
    ]
    return {"rows": out, "width": width, "ticks": [{"x": round(v * scale, 1)} for v in range(1, 5)]}
