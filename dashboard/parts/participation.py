"""What participation contributes to the coordinators' overview: steps waiting for sign-off, objections on
record, and projects without a safety representative. The counts are stored per project
(`participation/rollups.py`), so the overview reads one joined row for them."""

import django_filters
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import Attention, Column, FilterField, count_badge


def annotations(today):
    """The rollup (`ParticipationRollup`, one joined row per project): steps waiting, objections and the
    number of safety representatives among the members."""
    return {
        "signoffs_waiting": Coalesce(F("participation_rollup__signoffs_waiting"), 0),
        "objections": Coalesce(F("participation_rollup__objections"), 0),
        "safety_reps": Coalesce(F("participation_rollup__safety_reps"), 0),
    }


def objections_html(row, cell):
    return count_badge(row.objections, "bi-exclamation-octagon", gettext("objections"))


COLUMNS = (
    Column("signoffs_waiting", _("Steps waiting for sign-off"), 25, lambda r: r.signoffs_waiting,
           sort="signoffs_waiting", width=14),
    Column("objections", _("Objections"), 26, lambda r: r.objections, sort="objections",
           html=objections_html, width=12),
)  # fmt: skip


def _has_objections():
    """Projects with an objection on record that its signer has not answered by a later decision: the stored count
    (`participation.rollups`, one joined row), as the column shows it."""
    return Q(participation_rollup__objections__gt=0)


def _filter_objections(queryset, value, today):
    if value == "yes":
        return queryset.filter(_has_objections())
    if value == "no":
        return queryset.exclude(_has_objections())
    return queryset


FILTERS = (
    FilterField(
        "objections",
        60,
        lambda: django_filters.ChoiceFilter(
            label=_("Objections"),
            choices=[("yes", _("Has objections")), ("no", _("No objections"))],
            empty_label=_("All"),
        ),
        _filter_objections,
    ),
)

ATTENTION = (
    Attention(
        "objections",
        _("Objections on record"),
        20,
        lambda today: _has_objections(),
        lambda row: (
            ngettext("%(n)s objection on record", "%(n)s objections on record", row.objections) % {"n": row.objections}
        ),
    ),
    Attention(
        "no_safety_rep",
        _("No safety representative"),
        40,
        lambda today: Q(safety_reps=0),  # the stored count (the rollup), not a scan of the memberships
        lambda row: _("No safety representative appointed"),
    ),
)
