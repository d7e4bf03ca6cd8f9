"""Validators shared by the apps' models and forms."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


@deconstructible
class SensibleDate:
    """A date a workplace project can have: from 2000 to 2100. Later dates (9999-12-31) would overflow the
    deadlines counted from them."""

    def __call__(self, value):
        if value is not None and not EARLIEST <= value <= LATEST:
            raise ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {
                    "first": date_format(EARLIEST, "SHORT_DATE_FORMAT"),
                    "last": date_format(LATEST, "SHORT_DATE_FORMAT"),
                },
                code="date_range",
            )

    def __eq__(self, other):
        return isinstance(other, SensibleDate)


sensible_date = SensibleDate()


LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # every break str.splitlines() knows


@deconstructible
class SingleLine:
    """A one-line text (a name, a title, a person responsible) holds no line break: it becomes an e-mail's
    subject, a calendar's summary, a file name, a cell; a break there raises or splits what it is part of."""

    def __call__(self, value):
        if isinstance(value, str) and LINE_BREAKS.search(value):
            raise ValidationError(_("Write this on one line, without line breaks."), code="single_line")

    def __eq__(self, other):
        return isinstance(other, SingleLine)


single_line = SingleLine()
