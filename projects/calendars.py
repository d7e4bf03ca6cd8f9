"""iCal feeds: the dated things of a person's projects, gathered from every app that registered with
`extensions.calendar_events`. All-day events in Europe/Oslo; UIDs are stable, so a calendar updates an event
when its date moves instead of adding a second one."""

from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import extensions
from .extensions import CalendarEvent

UID_DOMAIN = "prosessguiden"


def project_dates(projects, user):
    """The project's own dates: planned and actual move-in."""
    out = []
    for p in projects:
        if p.planned_move_in:
            out.append(CalendarEvent(f"project-{p.pk}-planned-move-in", p.planned_move_in, _("Planned move-in"), p))
        if p.actual_move_in:
            out.append(CalendarEvent(f"project-{p.pk}-move-in", p.actual_move_in, _("Move-in"), p))
    return out


def calendar_events(*, projects, user) -> list[CalendarEvent]:
    events = project_dates(projects, user)
    if projects:
        for _order, fn in extensions.CALENDAR_EVENTS:
            events.extend(fn(projects, user))
    events.sort(key=lambda e: (e.day, e.uid))
    return events


def calendar_ical(*, projects, user, name) -> bytes:
    with translation.override(user.preferred_language):
        cal = icalendar.Calendar()
        cal.add("prodid", "-//Prosessguiden//NONSGML Prosessguiden//NB")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("x-wr-calname", str(name))
        cal.add("x-wr-timezone", settings.TIME_ZONE)
        stamp = timezone.now().replace(microsecond=0)
        for e in calendar_events(projects=projects, user=user):
            event = icalendar.Event()
            event.add("uid", f"{e.uid}@{UID_DOMAIN}")
            event.add("dtstamp", stamp)
            event.add("dtstart", e.day)
            event.add("dtend", e.day + timedelta(days=1))
            event.add("summary", f"{e.summary} – {e.project.name}")
            if e.description:
                event.add("description", str(e.description))
            if e.url:
                event.add("url", settings.SITE_URL + e.url)
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
        return cal.to_ical()
