"""Reminder sources and calendar dates of evaluation: the evaluation window opening, closing within a month
(urgent) and overdue (urgent), the freeze period ending within two weeks, and HMS measure deadlines.

Evaluation reminders go to the project's owners and managers. Measures go to them too (the `responsible`
field is a name, not a user), sensitive ones included: owners and managers may see those. The occasion is
the date the reminder is about, so a corrected move-in (new dates) reminds again.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from projects import extensions, reminders
from projects.models import Membership, Notification, Project, Role

from .models import Evaluation, Measure

FREEZE_ENDING_DAYS = 14
MEASURE_DUE_DAYS = 3
OPEN_MEASURES = (Measure.Status.PLANNED, Measure.Status.IN_PROGRESS)


def _leaders(project_ids):
    out = {}
    rows = Membership.objects.filter(project_id__in=set(project_ids), role__in=(Role.OWNER, Role.MANAGER))
    for project_id, user_id in rows.values_list("project_id", "user_id").distinct():
        out.setdefault(project_id, set()).add(user_id)
    return out


def _evaluations(**conditions):
    return list(
        Evaluation.objects.filter(
            completed_at__isnull=True, project__status=Project.Status.ACTIVE, **conditions
        ).select_related("project")
    )


def _evaluation_reminders(evaluations, obj, occasion, message, due):
    leaders = _leaders(e.project_id for e in evaluations)
    for e in evaluations:
        day = due(e)
        text = reminders.texts(
            lambda e=e, day=day: message % {"project": e.project.name, "date": date_format(day, "DATE_FORMAT")}
        )
        url = reverse("evaluation:overview", args=[e.project_id])
        for user_id in sorted(leaders.get(e.project_id, ())):
            yield reminders.Due(
                obj=f"{obj}:{e.pk}", recipient_id=user_id, occasion=occasion(e), text=text, url=url,
                project_id=e.project_id, due_date=day,
            )  # fmt: skip


@reminders.source("evaluation_window_opens", _("Evaluation window opening"), order=30)
def window_opens(today):
    evaluations = _evaluations(window_opens__lte=today, window_closing__gt=today)
    return _evaluation_reminders(
        evaluations, "window-opens", lambda e: e.window_opens,
        _("The evaluation window of %(project)s is open: evaluate by %(date)s."), lambda e: e.window_closes,
    )  # fmt: skip


@reminders.source("evaluation_window_closing", _("Evaluation window closing within a month"), urgent=True, order=31)
def window_closing(today):
    evaluations = _evaluations(window_closing__lte=today, window_closes__gte=today)
    return _evaluation_reminders(
        evaluations, "window-closing", lambda e: e.window_closes,
        _("The evaluation window of %(project)s closes %(date)s and the evaluation is not done."),
        lambda e: e.window_closes,
    )  # fmt: skip


@reminders.source("evaluation_overdue", _("Evaluation overdue"), urgent=True, order=32)
def evaluation_overdue(today):
    evaluations = _evaluations(window_closes__lt=today)
    return _evaluation_reminders(
        evaluations, "overdue", lambda e: e.window_closes,
        _("The evaluation of %(project)s is overdue: the window closed %(date)s."), lambda e: e.window_closes,
    )  # fmt: skip


@reminders.source("freeze_ending", _("Freeze period ending within two weeks"), order=33)
def freeze_ending(today):
    evaluations = _evaluations(freeze_ends__gte=today, freeze_ends__lte=today + timedelta(days=FREEZE_ENDING_DAYS))
    return _evaluation_reminders(
        evaluations, "freeze-ends", lambda e: e.freeze_ends,
        _("The freeze period of %(project)s ends %(date)s."), lambda e: e.freeze_ends,
    )  # fmt: skip


MEASURE_MESSAGES = {
    "measure_due": (
        _("HMS measure “%(measure)s” in %(project)s is due %(date)s."),
        _("Sensitive HMS measure no. %(number)s in %(project)s is due %(date)s."),
    ),
    "measure_overdue": (
        _("HMS measure “%(measure)s” in %(project)s was due %(date)s."),
        _("Sensitive HMS measure no. %(number)s in %(project)s was due %(date)s."),
    ),
}


def _measure_text(kind, measure, project_name, day):
    """A measure's reminder in every language; a sensitive measure by its number only, since the text goes out
    by e-mail too (docs/decisions.md, "Sensitive stays sensitive")."""
    plain, sensitive = MEASURE_MESSAGES[kind]
    values = {"measure": measure, "number": measure.number, "project": project_name}
    return reminders.texts(
        lambda: (sensitive if measure.sensitive else plain) % {**values, "date": date_format(day, "DATE_FORMAT")}
    )


def measure_notifications_neutralise(*, measure) -> int:
    """Say the reminders already recorded for `measure` (read or not, e-mailed or waiting for the digest) again
    without its words, now that it is sensitive; the e-mail is written from these texts when it goes."""
    changed = 0
    rows = Notification.objects.filter(project_id=measure.project_id, key__contains=f":measure:{measure.pk}:")
    for n in rows.select_related("project").filter(kind__in=MEASURE_MESSAGES):
        n.text = reminders.resolved(_measure_text(n.kind, measure, n.project.name, n.due_date or measure.due_date))
        n.save(update_fields=["text"])
        changed += 1
    return changed


def _measure_reminders(measures, kind):
    measures = list(measures)
    leaders = _leaders(m.project_id for m in measures)
    for m in measures:
        text = _measure_text(kind, m, m.project.name, m.due_date)
        url = reverse("evaluation:measure_edit", args=[m.project_id, m.pk])
        for user_id in sorted(leaders.get(m.project_id, ())):
            yield reminders.Due(
                obj=f"measure:{m.pk}", recipient_id=user_id, occasion=m.due_date, text=text, url=url,
                project_id=m.project_id, due_date=m.due_date,
            )  # fmt: skip


def _open_measures(**conditions):
    return Measure.objects.filter(
        status__in=OPEN_MEASURES, project__status=Project.Status.ACTIVE, **conditions
    ).select_related("project")


@reminders.source("measure_due", _("HMS measures due within three days"), order=34)
def measures_due(today):
    measures = _open_measures(due_date__gte=today, due_date__lte=today + timedelta(days=MEASURE_DUE_DAYS))
    return _measure_reminders(measures, "measure_due")


@reminders.source("measure_overdue", _("Overdue HMS measures"), order=35)
def measures_overdue(today):
    measures = _open_measures(due_date__lt=today)
    return _measure_reminders(measures, "measure_overdue")


@extensions.register("calendar_events", order=30)
def _calendar_dates(projects, user, window):
    # The projects come from the caller (not joined again per row), each label is translated once.
    by_id = {p.pk: p for p in projects}
    opens, closes, freeze = (str(_("Evaluation window opens")), str(_("Evaluation window closes")),
                             str(_("Freeze period ends")))  # fmt: skip
    events = []
    dates = (
        Evaluation.objects.filter(project_id__in=projects.ids)
        .order_by()
        .values_list("pk", "project_id", "window_opens", "window_closes", "freeze_ends")
    )
    # Each link from one reversed pattern, not a reverse() per row.
    overview_url = reverse("evaluation:overview", args=[0]).replace("/0/", "/{}/")
    measure_url = reverse("evaluation:measure_edit", args=[0, 0]).replace("/0/", "/{}/")
    for pk, project_id, window_opens, window_closes, freeze_ends in dates:
        url, project = overview_url.format(project_id), by_id[project_id]
        events += [
            extensions.CalendarEvent(f"evaluation-{pk}-opens", window_opens, opens, project, url),
            extensions.CalendarEvent(f"evaluation-{pk}-closes", window_closes, closes, project, url),
            extensions.CalendarEvent(f"evaluation-{pk}-freeze", freeze_ends, freeze, project, url),
        ]
    if window is not None:
        events = [e for e in events if e.day in window]
    measures = Measure.objects.filter(project_id__in=projects.ids, due_date__isnull=False, status__in=OPEN_MEASURES)
    if window is not None:
        measures = measures.filter(due_date__range=(window.start, window.end))
    for m in measures.order_by():
        m.project = by_id[m.project_id]
        if m.sensitive and not user.has_perm("evaluation.view_sensitive_measures", m.project):
            continue
        events.append(
            extensions.CalendarEvent(
                f"measure-{m.pk}", m.due_date, measure_neutral_title(m), m.project,
                measure_url.format(m.project_id, m.pk),
            )
        )  # fmt: skip
    return events


def measure_neutral_title(measure) -> str:
    """How a measure is named where its words must not go (docs/decisions.md, "Sensitive stays sensitive"): a
    sensitive measure by its number only, for everybody, since a calendar feed or an e-mail leaves the product
    whoever receives it; any other measure by its number and focus area."""
    if measure.sensitive:
        return str(_("HMS measure no. %(number)s (sensitive)") % {"number": measure.number})
    return str(_("HMS measure: %(measure)s") % {"measure": measure})
