"""iCal feeds: the dated things of a person's projects, gathered from every app that registered with
`extensions.calendar_events`. All-day events in Europe/Oslo; UIDs are stable, so a calendar updates an event
when its date moves instead of adding a second one.

By default a feed holds what is still open within a window around today (WINDOW_BEFORE back, WINDOW_AFTER
ahead), so its size follows what a person has to do, not the years of projects they can see; "everything"
(`?all=1`) still gives every dated thing. A feed is kept compressed in the cache under a version made of the
person's roles, language and global groups, the day, and a stamp per project that changes after every commit
that changes a dated thing of the project (the apps name their models with `watch`).
"""

import gzip
import hashlib
import logging
import uuid
from datetime import UTC, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import extensions
from .extensions import CalendarEvent, CalendarProjects, CalendarWindow
from .permissions import prime_roles_in_projects

logger = logging.getLogger(__name__)


def uid_domain() -> str:
    """The right-hand side of every event's UID: the host of SITE_URL, so two installations (a test and the
    production server, two municipalities) never give one calendar the same UID for different events (RFC 5545
    asks for globally unique UIDs)."""
    from urllib.parse import urlsplit

    return (urlsplit(settings.SITE_URL).hostname or "prosessguiden").lower()


WINDOW_BEFORE = timedelta(days=30)
WINDOW_AFTER = timedelta(days=365)
# A kept feed is built again after six hours at the latest: a change made while the cache was down (its stamp
# could not be renewed) shows by then.
FEED_CACHE_SECONDS = 6 * 60 * 60
_STAMP = "calendar:project:{}"


def default_window(today) -> CalendarWindow:
    return CalendarWindow(today - WINDOW_BEFORE, today + WINDOW_AFTER)


def projects_changed(project_ids) -> None:
    """Give these projects a new stamp, now and again after the commit (a feed built in between from what
    was committed before would otherwise be kept under the new stamp): every feed that shows them is built
    again."""
    ids = {pk for pk in project_ids if pk}
    if ids:
        _stamp(ids)
        transaction.on_commit(lambda: _stamp(ids))


def _stamp(ids):
    try:
        cache.set_many({_STAMP.format(pk): uuid.uuid4().hex for pk in ids}, None)
    except Exception:  # the cache (Redis) is down: the change itself must not fail; see FEED_CACHE_SECONDS
        logger.warning("calendar stamps not renewed: the cache did not answer", exc_info=True)


def watch(model, project_id=lambda obj: obj.project_id) -> None:
    """A saved or deleted `model` row changes its project's feeds (a deadline, a text, a sensitive flag …)."""

    def changed(sender, instance, **kwargs):
        projects_changed([project_id(instance)])

    uid = f"calendar-{model._meta.label_lower}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def feed_version(*, user, project_ids, name, everything: bool, today) -> str:
    """What a feed depends on, as a short hash: the person's roles in their projects and global groups (who
    sees a sensitive measure), language, the day (the window moves), and each project's stamp. A stamp missing
    from the cache (never set, or evicted) is made new, so a feed is never taken from before a change."""
    keys = [_STAMP.format(pk) for pk in project_ids]
    stamps = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in stamps}
    if missing:
        cache.set_many(missing, None)
        stamps.update(missing)
    return _version(user, keys, stamps, name, everything, today)


def _version(user, keys, stamps, name, everything, today):
    from .models import Membership

    roles = sorted(Membership.objects.filter(user=user).values_list("project_id", "role"))
    groups = sorted(user.groups.values_list("name", flat=True))
    digest = hashlib.sha256()
    for part in (user.pk, user.preferred_language, user.is_superuser, name, everything, today, groups, roles):
        digest.update(f"{part}|".encode())
    for key in keys:
        digest.update(f"{stamps[key]}|".encode())
    return digest.hexdigest()[:32]


def feed_gzip(*, user, projects, name, everything: bool, today) -> tuple[str, bytes]:
    """(version, the feed compressed with gzip), from the cache when this version was built before. `projects`
    may be a queryset: then a kept feed reads only their ids (a representative of 20 000 projects), and the
    projects themselves only when the feed is built."""
    queryset = hasattr(projects, "values_list")
    ids = list(projects.values_list("pk", flat=True)) if queryset else [p.pk for p in projects]

    def build():
        # a queryset is read here, only when the feed is built; the sources select by it as a subquery
        listed = CalendarProjects(projects, ids=projects.order_by().values("pk") if queryset else None)
        return gzip.compress(calendar_ical(projects=listed, user=user, name=name, window=window), compresslevel=6)

    window = None if everything else default_window(today)
    try:
        version = feed_version(user=user, project_ids=ids, name=name, everything=everything, today=today)
        key = f"calendar:feed:{user.pk}:{version}"
        body = cache.get(key)
    except Exception:  # the cache (Redis) is down: build the feed, keep nothing
        logger.warning("calendar feed built without the cache", exc_info=True)
        return uuid.uuid4().hex, build()
    if body is None:
        body = build()
        try:
            cache.set(key, body, FEED_CACHE_SECONDS)
        except Exception:
            logger.warning("calendar feed not kept: the cache did not answer", exc_info=True)
    return version, body


def project_dates(projects, user):
    """The project's own dates: planned and actual move-in."""
    out, planned, moved = [], _("Planned move-in"), _("Move-in")  # translated once, not per project
    for p in projects:
        if p.planned_move_in:
            out.append(CalendarEvent(f"project-{p.pk}-planned-move-in", p.planned_move_in, planned, p))
        if p.actual_move_in:
            out.append(CalendarEvent(f"project-{p.pk}-move-in", p.actual_move_in, moved, p))
    return out


def calendar_events(*, projects, user, window: CalendarWindow | None = None) -> list[CalendarEvent]:
    """The dated things of `projects` that `user` may see: within `window` and still open, or all (None)."""
    if not isinstance(projects, CalendarProjects):
        projects = CalendarProjects(projects)
    prime_roles_in_projects(user, projects)  # the sources ask permissions per project (sensitive measures)
    events = project_dates(projects, user)
    if window is not None:
        events = [e for e in events if e.day in window]
    if projects:
        for fn in extensions.get("calendar_events"):
            events.extend(fn(projects, user, window))
    events.sort(key=lambda e: (e.day, e.uid))
    return events


def _text(value) -> str:
    """A TEXT value as RFC 5545 §3.3.11 escapes it: backslash, semicolon, comma and line breaks."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character: CRLF and a space
    begin each continuation."""
    if line.isascii():  # one octet a character (links, most names): cut the text itself
        if len(line) <= 75:
            return line + "\r\n"
        return "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))]) + "\r\n"
    data = line.encode()
    if len(data) <= 75:
        return line + "\r\n"
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: step back to a boundary
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74  # the leading space of a continuation counts
    return "\r\n ".join(parts) + "\r\n"


def calendar_ical(*, projects, user, name, window: CalendarWindow | None = None) -> bytes:
    """The feed as iCalendar text, written directly: the icalendar library built and serialised an object per
    property, some 0.3 ms an event (30 s for a representative's 90 000 events in 2 000 projects). The tests
    read the result with icalendar."""
    with translation.override(user.preferred_language):
        stamp = timezone.now().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        lines = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Prosessguiden//NONSGML Prosessguiden//NB",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            f"X-WR-CALNAME:{_text(name)}",
            f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
        ]
        out = [_fold(line) for line in lines]
        site, days, append, domain = settings.SITE_URL, {}, out.append, uid_domain()
        # What repeats is escaped once per build: the " – project" ending of each summary (escaping works
        # character by character, so the parts may be escaped apart), and summaries and descriptions, which
        # repeat across projects (the same checklist item in every project of a template).
        endings, texts, descriptions = {}, {}, {}
        for e in calendar_events(projects=projects, user=user, window=window):
            dates = days.get(e.day)
            if dates is None:  # a few hundred days among tens of thousands of events: format each once
                end = e.day + timedelta(days=1)
                dates = days[e.day] = f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}\r\nDTEND;VALUE=DATE:{end:%Y%m%d}\r\n"
            ending = endings.get(e.project.pk)
            if ending is None:
                ending = endings[e.project.pk] = _text(f" – {e.project.name}")
            summary = texts.get(e.summary)
            if summary is None:
                summary = texts[e.summary] = _text(e.summary)
            append(f"BEGIN:VEVENT\r\nUID:{e.uid}@{domain}\r\nDTSTAMP:{stamp}\r\n{dates}")
            append(_fold(f"SUMMARY:{summary}{ending}"))
            if e.description:
                description = descriptions.get(e.description)
                if description is None:
                    description = descriptions[e.description] = _fold(f"DESCRIPTION:{_text(e.description)}")
                append(description)
            if e.url:
                append(_fold(f"URL:{site}{e.url}"))
            append("TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n")
        out.append("END:VCALENDAR\r\n")
        return "".join(out).encode()
