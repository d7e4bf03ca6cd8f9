"""What the coordinators' overview is made of. Each module here brings what one app knows about a project:

- `annotations(today)` -> {name: expression} on the project queryset (a join to the app's rollup, or
  a Subquery over OuterRef("pk")), so that the overview runs a fixed number of queries at any size;
- `COLUMNS`, `FILTERS`, `ATTENTION`, `BREAKDOWNS` over those annotations;
- `timeline(rows, today)` -> {project id: [Segment, …]}, optional.

`dashboard.selectors` lists the parts (`PARTS`); the dashboard sits above the apps it reads, so none of them
knows it exists (see docs/architecture.md).
"""

from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format, localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

DASH = mark_safe('<span class="text-body-secondary">–</span>')


def time_html(day):
    """A date as the page shows it: `<time>` with the ISO date, the text in the language's short format."""
    if day is None:
        return format_html('<time datetime="">{}</time>', "")
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format(day, "SHORT_DATE_FORMAT"))


def date_html(row, cell):
    return time_html(cell) if cell else DASH


def count_badge(n, icon, word):
    """A count that needs attention as a red badge with its icon and, for a screen reader, what it counts; none as
    a quiet 0."""
    if not n:
        return format_html('<span class="text-body-secondary">{}</span>', 0)
    return format_html(
        '<span class="badge text-bg-danger"><i class="bi {}" aria-hidden="true"></i> {}<span class="visually-hidden">'
        " {}</span></span>",
        icon, localize(n), word,
    )  # fmt: skip


@dataclass(frozen=True)
class Column:
    """A column of the overview and of its exports.

    `value(row)` gives the cell: a str, int, date or None (exports keep dates as dates). On the page the cell is
    `html(row, value)`, safe HTML; without `html` the page writes the value
    as text (nothing as a dash). Python, not a template per cell: the page has some 550 cells, and a template
    each was a third of its rendering. `sort` is the annotation or field the column
    sorts by (None: not sortable); `on_page=False` keeps a column in the exports only. `order` places it among
    the others; `width` is its XLSX width in characters; `phone` keeps it on a phone's narrow screen (the key
    columns: the project, its status, the next deadline).
    """

    key: str
    label: Any
    order: int
    value: Any
    sort: Any = None
    html: Any = None
    on_page: bool = True
    width: int = 16
    phone: bool = False  # a key column, kept on a phone (the others show from 768 px)


@dataclass(frozen=True)
class FilterField:
    """A filter on the overview: `field()` builds a django-filter Filter whose `method` is `apply`.

    apply(queryset, value, today) -> queryset, on the annotated project queryset.
    """

    name: str
    order: int
    field: Any
    apply: Any


@dataclass(frozen=True)
class Attention:
    """Something that makes a project need a coordinator now: `q(today)` is a Q on the annotated queryset,
    `describe(row)` the text shown on the attention list for a project that meets it."""

    key: str
    label: Any
    order: int
    q: Any
    describe: Any


@dataclass(frozen=True)
class Segment:
    """A bar (start to end) or, without `end`, a marker on the timeline of one project."""

    start: Any
    end: Any
    label: Any
    kind: str  # css class suffix: phase, phase-done, move-in, freeze, evaluation, …


@dataclass(frozen=True)
class Breakdown:
    """Counts of the filtered projects by something an app knows (the current phase, say), shown at the top of
    the overview. `fields` are annotations to group by; `choice(values)` maps one group's values (a dict) to
    (sort key, filter value, label), or None to leave the group out. Every breakdown and the attention counts
    come from one grouped query, so a new breakdown costs no query."""

    key: str
    label: Any
    order: int
    param: str  # the filter a count links to
    fields: tuple
    choice: Any


def tr_row(row, name):
    """An annotation stored in both languages (`name_nb`, `name_en`), in the active one (asked once per batch of
    rows by `dashboard.selectors.decorate`, which sets `dashboard_english`)."""
    english = getattr(row, "dashboard_english", None)
    if english is None:
        english = (get_language() or "nb").startswith("en")
    if english:
        return getattr(row, f"{name}_en", None) or getattr(row, f"{name}_nb", None)
    return getattr(row, f"{name}_nb", None)
