"""The reminder registry: apps register what is due, the periodic scan in projects delivers it.

projects imports none of the apps. Each app registers one *source* per kind of reminder, under the hook
`reminder_source` (projects/extensions.py), with this module's decorator in its own `reminders.py`, which its
`hooks.py` imports (every app's `hooks.py` is imported once when the apps are ready):

    @reminders.source("item_due_soon", _("Checklist items due soon"))
    def items_due_soon(today):
        for item in ...:
            yield reminders.Due(
                obj=f"item:{item.pk}", recipient_id=item.assignee_id, occasion=item.due_date,
                project_id=item.project_id, text=reminders.texts(lambda: _("…") % {...}),
                url=reverse(...), due_date=item.due_date,
            )

A source is a selector: fn(today) -> iterable of `Due`, read with the joins it needs so that the scan runs
a fixed number of queries whatever the number of reminders. Each `Due` is identified by its key
(kind, object, recipient, occasion): the scan records a key once (a unique constraint), so a reminder is
never delivered twice, however often or on how many workers the scan runs. `occasion` is what makes a
repeat worth sending (a new deadline, a new version of a step); leave it the same and nothing repeats.
A source gives its text as `texts(fn)`: the scan builds it (in every language) only for a key it has not
recorded before, so the reminders that were delivered already cost no text on each later scan.

`urgent` kinds (an evaluation window closing, say) are e-mailed at once; the others wait for the daily
digest. People turn the e-mail of each kind off in their settings; in-app notifications are always on.
"""

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import holidays
from django.conf import settings
from django.utils import translation

from . import extensions


@dataclass(frozen=True)
class Due:
    obj: str  # the object reminded about, e.g. "item:42"
    recipient_id: int
    occasion: Any  # e.g. the deadline, or the version of a step
    # language code -> the sentence shown and e-mailed: a dict (see `in_languages`) or `texts(fn)`, built later
    text: "dict[str, str] | Texts"
    url: str = ""  # a path inside the site
    project_id: int | None = None
    due_date: date | None = None


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # lazy text naming the kind in the settings page
    fn: Callable[[date], Iterable[Due]]
    urgent: bool = False
    order: int = 100


def source(code: str, label, *, urgent: bool = False, order: int = 100):
    """A decorator that registers fn(today) -> iterable of Due as the source of reminders of kind `code`: a
    `Kind` under the hook `reminder_source`."""

    def register(fn):
        extensions.register("reminder_source", Kind(code, label, fn, urgent, order))
        return fn

    return register


def kinds() -> list[Kind]:
    return sorted(extensions.by_key("reminder_source", "code").values(), key=lambda k: (k.order, k.code))


def key_of(kind: str, due: Due) -> str:
    occasion = due.occasion.isoformat() if hasattr(due.occasion, "isoformat") else str(due.occasion)
    return f"{kind}:{due.obj}:{due.recipient_id}:{occasion}"


def in_languages(fn: Callable[[], Any]) -> dict[str, str]:
    """fn() evaluated once in each interface language: {"nb": "…", "en": "…"}."""
    out = {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            out[code] = str(fn())
    return out


class Texts:
    """A reminder's text in every language, built the first time it is asked for (then kept, so the recipients
    of one item share it). The scan asks only for keys it has not recorded yet."""

    __slots__ = ("_fn", "_texts")

    def __init__(self, fn: Callable[[], Any]):
        self._fn = fn
        self._texts: dict[str, str] | None = None

    def __call__(self) -> dict[str, str]:
        if self._texts is None:
            self._texts = in_languages(self._fn)
        return self._texts


def texts(fn: Callable[[], Any]) -> Texts:
    """fn() in each interface language, evaluated only when the scan records a new reminder."""
    return Texts(fn)


def resolved(text: "dict[str, str] | Texts") -> dict[str, str]:
    return text() if callable(text) else text


def text_for(texts: dict[str, str], language: str | None = None) -> str:
    """The text in `language` (default: the active one), else bokmål, else any."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()), "")


@functools.cache
def _norwegian_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NO", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday, except Norwegian public holidays (Easter, Ascension, Whit Monday, 17 May, …)."""
    return day.weekday() < 5 and day not in _norwegian_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def add_working_days(start: date, count: int) -> date:
    """The day on which `count` working days after `start` have passed."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        count -= is_working_day(day)
    return day
