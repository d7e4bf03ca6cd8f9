"""The system check of the archive's settings (`manage.py check`; production runs it at start, see
config/settings/production.py): with a transport set, what it needs must be there."""

import os

from django.conf import settings
from django.core.checks import Error, register


def problems() -> list[str]:
    """What is wrong with the archive's settings (empty: nothing, or no transport)."""
    from . import transports

    name = settings.ARCHIVE_TRANSPORT or "none"
    if name == "none":
        return []
    if name not in transports.TRANSPORTS:
        return [f"ARCHIVE_TRANSPORT {name!r} is unknown (none, {', '.join(transports.TRANSPORTS)})."]
    out = []
    if name == "directory":
        folder = settings.ARCHIVE_DIRECTORY
        if not folder:
            out.append("ARCHIVE_TRANSPORT=directory needs ARCHIVE_DIRECTORY (the drop folder).")
        elif not os.path.isdir(folder) or not os.access(folder, os.W_OK | os.X_OK):
            out.append(f"ARCHIVE_DIRECTORY {folder!r} is not a folder this process can write to.")
    if not settings.ARCHIVE_SYSTEM.strip():
        out.append("ARCHIVE_SYSTEM (the name the archive knows this system by) is empty.")
    if not settings.ARCHIVE_PART.strip():
        out.append("ARCHIVE_PART (the archive part, arkivdel, of the case folders) is empty.")
    if not settings.ARCHIVE_CLASS_VALUE.strip():
        out.append("ARCHIVE_CLASS_VALUE (the class, ordningsverdi, of the case folders) is empty.")
    for kind, value in settings.ARCHIVE_SCREENING.items():
        if not isinstance(value, list | tuple) or len(value) != 2 or (value[0] and not value[1]):
            out.append(f"ARCHIVE_SCREENING[{kind!r}] must be [code, legal basis].")
    return out


@register()
def archive_settings(app_configs, **kwargs):
    return [
        Error(text, hint="See docs/deploy.md, 'Archive'.", id=f"prosessguiden.E1{i:02d}")
        for i, text in enumerate(problems())
    ]
