"""Before/after figures of the evaluation: one service for figures typed by hand, imported from a file
(HMS deviations from HR, a unit's results from 10-faktor or ForBedring) and computed by the surveys app.

- `figure_add` writes one figure typed by hand.
- `figures_replace` replaces a whole batch (a source and a key) by new rows in one transaction: an import run
  again, or a survey's results computed again, leaves the same figures, never twice.

Who may write depends on where the figures come from (checked again here): HR supplies sick leave and HMS
deviations; the owner or manager the others; an employee survey's results may come from either. The owner and
manager change nothing after the evaluation is completed, and neither does HR: the figures print in the report
and lock with the evaluation (issue 24 point 6).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from projects.models import User
from projects.services import with_history_user

from .models import Evaluation, Figure

HR_KINDS = (Figure.Kind.SICK_LEAVE, Figure.Kind.DEVIATIONS)


@dataclass(frozen=True)
class FigureRow:
    kind: str
    label: str
    before: Decimal
    after: Decimal
    unit: str = ""
    group: str = ""
    period_before: str = ""
    period_after: str = ""


def _may_write(by: User, evaluation: Evaluation, *, source: str, kind: str) -> None:
    project = evaluation.project
    hr = by.has_perm("evaluation.enter_hr_figures", project)
    owner = by.has_perm("evaluation.edit_evaluation", project)
    if source == Figure.Source.DEVIATION_IMPORT or kind in HR_KINDS:
        allowed = hr
    elif source in (Figure.Source.SURVEY_IMPORT, Figure.Source.SURVEY):
        allowed = hr or owner
    else:
        allowed = owner
    if not allowed:
        raise PermissionDenied
    if evaluation.completed_at:  # the figures lock with the evaluation, HR's too (issue 24 point 6)
        raise ValidationError(
            _("The evaluation was completed on %(date)s, so its figures are locked and no more can be added.")
            % {"date": date_format(timezone.localtime(evaluation.completed_at).date(), "DATE_FORMAT")}
        )


def _build(evaluation, by, row: FigureRow, source, batch) -> Figure:
    return Figure(
        evaluation=evaluation, kind=row.kind, label=(row.label or "").strip(), before=row.before, after=row.after,
        unit=(row.unit or "").strip(), group=(row.group or "").strip(),
        period_before=(row.period_before or "").strip(), period_after=(row.period_after or "").strip(),
        source=source, batch=batch, entered_by=by,
    )  # fmt: skip


def _locked(evaluation):
    return Evaluation.objects.select_for_update(no_key=True).select_related("project").get(pk=evaluation.pk)


@transaction.atomic
def figure_add(
    *,
    evaluation: Evaluation,
    by: User,
    kind: str,
    label: str,
    before: Decimal,
    after: Decimal,
    unit: str = "",
    group: str = "",
    period_before: str = "",
    period_after: str = "",
) -> Figure:
    """One before/after figure typed by hand. Sick leave and deviations come from HR; the others from the owner
    or manager."""
    evaluation = _locked(evaluation)
    _may_write(by, evaluation, source=Figure.Source.MANUAL, kind=kind)
    row = FigureRow(kind, label, before, after, unit, group, period_before, period_after)
    figure = _build(evaluation, by, row, Figure.Source.MANUAL, "")
    figure.full_clean()
    with_history_user(figure, by).save()
    return figure


@transaction.atomic
def figures_replace(
    *, evaluation: Evaluation, by: User, source: str, batch: str = "", rows: list[FigureRow]
) -> list[Figure]:
    """Replace the evaluation's figures of `(source, batch)` by `rows`: all or none. A row that does not validate
    raises ValidationError({"rows": ["Row 3: …", …]}) and nothing changes."""
    if source not in Figure.Source.values or source == Figure.Source.MANUAL:
        raise ValueError(f"figures_replace: unknown source {source!r}")
    evaluation = _locked(evaluation)
    for kind in {row.kind for row in rows} or {""}:
        _may_write(by, evaluation, source=source, kind=kind)
    figures, errors = [], []
    for number, row in enumerate(rows, start=1):
        figure = _build(evaluation, by, row, source, batch)
        try:
            figure.full_clean(exclude=["entered_by"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                name = Figure._meta.get_field(field).verbose_name if field != "__all__" else ""
                for message in messages:
                    errors.append(
                        _("Row %(n)s: %(field)s: %(message)s") % {"n": number, "field": name, "message": message}
                        if name
                        else _("Row %(n)s: %(message)s") % {"n": number, "message": message}
                    )
        figures.append(figure)
    if errors:
        raise ValidationError({"rows": errors})
    for old in Figure.objects.filter(evaluation=evaluation, source=source, batch=batch):
        with_history_user(old, by).delete()
    for figure in figures:
        with_history_user(figure, by).save()
    return figures
