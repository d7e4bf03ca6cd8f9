"""Reminder sources of the process: checklist items due within three days, and overdue ones.

The reminder goes to the person responsible for the item, or to the project's owners and managers while
nobody is. The occasion is the deadline, so moving a deadline reminds again; ticking the item stops it.
"""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from projects import reminders
from projects.models import Membership, Project, Role

from .models import ChecklistItem

DUE_SOON_DAYS = 3


def _open_items(condition):
    return (
        ChecklistItem.objects.filter(
            condition,
            status=ChecklistItem.Status.OPEN,
            project__status=Project.Status.ACTIVE,
            phase__completed_at__isnull=True,
        )
        .select_related("project")
        .only("id", "text_nb", "text_en", "due_date", "assignee_id", "project_id", "project__name")
        .order_by("id")
    )


def _leaders_by_project(items):
    """Owners and managers of the projects of `items` with nobody responsible, in one query."""
    project_ids = {i.project_id for i in items if i.assignee_id is None}
    out = {}
    rows = Membership.objects.filter(project_id__in=project_ids, role__in=(Role.OWNER, Role.MANAGER))
    for project_id, user_id in rows.values_list("project_id", "user_id").distinct():
        out.setdefault(project_id, []).append(user_id)
    return out


def _reminders_for(items, message):
    items = list(items)
    leaders = _leaders_by_project(items)
    for item in items:
        recipients = [item.assignee_id] if item.assignee_id else sorted(set(leaders.get(item.project_id, [])))
        text = reminders.texts(
            lambda item=item: (
                message
                % {"item": item.text, "project": item.project.name, "date": date_format(item.due_date, "DATE_FORMAT")}
            )
        )
        url = reverse("phases:item", args=[item.project_id, item.pk])
        for user_id in recipients:
            yield reminders.Due(
                obj=f"item:{item.pk}",
                recipient_id=user_id,
                occasion=item.due_date,
                text=text,
                url=url,
                project_id=item.project_id,
                due_date=item.due_date,
            )


@reminders.source("item_due_soon", gettext_lazy("Checklist items due within three days"), order=10)
def items_due_soon(today):
    items = _open_items(Q(due_date__gte=today, due_date__lte=today + timedelta(days=DUE_SOON_DAYS)))
    return _reminders_for(items, gettext_lazy("“%(item)s” in %(project)s is due %(date)s."))


@reminders.source("item_overdue", gettext_lazy("Overdue checklist items"), order=11)
def items_overdue(today):
    items = _open_items(Q(due_date__lt=today))
    return _reminders_for(items, gettext_lazy("“%(item)s” in %(project)s was due %(date)s and is not done."))


ITEM_KINDS = ("item_due_soon", "item_overdue", "item_assigned")  # what ticking an item resolves


@reminders.source("item_assigned", gettext_lazy("Checklist items given to you"), order=9)
def items_assigned(today):
    """Sent at once by `phases.services.item_plan` when somebody is made responsible for an item, not found by
    the scan; registered so that the kind has its label and can be turned off by e-mail in the settings."""
    return ()


def item_assigned_due(item, *, at) -> reminders.Due:
    """The notification to the person just made responsible for `item` (the occasion is the moment, so being
    given the same item again later notifies again)."""

    def text():
        values = {"item": item.text, "project": item.project.name}
        if item.due_date:
            values["date"] = date_format(item.due_date, "DATE_FORMAT")
            return gettext_lazy("You are responsible for “%(item)s” in %(project)s, due %(date)s.") % values
        return gettext_lazy("You are responsible for “%(item)s” in %(project)s.") % values

    return reminders.Due(
        obj=f"item:{item.pk}",
        recipient_id=item.assignee_id,
        occasion=at.isoformat(),
        text=reminders.in_languages(text),
        url=reverse("phases:item", args=[item.project_id, item.pk]),
        project_id=item.project_id,
        due_date=item.due_date,
    )
