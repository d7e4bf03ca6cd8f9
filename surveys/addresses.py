"""The address list a survey or comment round is sent to, pasted or uploaded: one person a line, the e-mail
address and, after a comma, semicolon or tab, the person's unit (optional). Errors are given by line."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .models import MAX_UNIT

MAX_ADDRESSES = 5000
SPLIT = re.compile(r"[;,\t]")


def parse_addresses(text: str) -> list[tuple[str, str]]:
    """[(address, unit)] in the order given, each address once; ValidationError listing the bad lines."""
    rows, problems, seen = [], [], set()
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = [p.strip().strip('"') for p in SPLIT.split(line)]
        email, unit = parts[0].lower(), " ".join((parts[1] if len(parts) > 1 else "").split())
        if number == 1 and "@" not in email and email in {"e-post", "epost", "email", "e-mail", "adresse"}:
            continue  # a header line
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                _("Line %(n)s: %(value)s is not an e-mail address.") % {"n": number, "value": parts[0][:80]}
            )
            continue
        if len(unit) > MAX_UNIT:
            problems.append(
                _("Line %(n)s: the unit is longer than %(max)s characters.") % {"n": number, "max": MAX_UNIT}
            )
            continue
        if email in seen:
            continue
        seen.add(email)
        rows.append((email, unit))
    if len(rows) > MAX_ADDRESSES:
        problems.append(_("At most %(n)s addresses.") % {"n": MAX_ADDRESSES})
    if problems:
        raise ValidationError(problems[:50])
    return rows
