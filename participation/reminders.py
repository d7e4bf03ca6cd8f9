"""Reminder source of participation: a sign-off waiting more than five working days.

Working days leave out weekends and Norwegian public holidays (a step prepared before Easter waits over
Maundy Thursday, Good Friday and Easter Monday without counting them). The reminder goes to each holder of a
required role that has no current sign-off; the occasion is the step's version, so a changed step that needs
signing again reminds again.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from projects import reminders
from projects.models import Membership, Project

from .selectors import _steps_queryset, step_view

WAITING_WORKING_DAYS = 5


@reminders.source("signoff_waiting", gettext_lazy("Sign-offs waiting more than five working days"), order=20)
def signoffs_waiting(today):
    steps = [
        step_view(s)
        for s in _steps_queryset().filter(is_prepared=True, project__status=Project.Status.ACTIVE).order_by("id")
    ]
    steps = [
        v
        for v in steps
        if not v.complete
        and reminders.working_days_between(timezone.localtime(v.step.version_at).date(), today) > WAITING_WORKING_DAYS
    ]
    holders = {}
    rows = Membership.objects.filter(project_id__in={v.step.project_id for v in steps}).values_list(
        "project_id", "role", "user_id"
    )
    for project_id, role, user_id in rows:
        holders.setdefault((project_id, role), set()).add(user_id)
    for view in steps:
        step = view.step
        since = timezone.localtime(step.version_at).date()
        url = reverse("participation:step", args=[step.project_id, step.pk])
        for status in view.roles:
            if status.met:
                continue
            text = reminders.in_languages(
                lambda step=step, status=status, since=since: (
                    gettext_lazy("“%(step)s” in %(project)s has waited for sign-off from %(role)s since %(date)s.")
                    % {
                        "step": step.name,
                        "project": step.project.name,
                        "role": status.label.lower(),
                        "date": date_format(since, "DATE_FORMAT"),
                    }
                )
            )
            for user_id in sorted(holders.get((step.project_id, status.role), ())):
                yield reminders.Due(
                    obj=f"step:{step.pk}:{status.role}",
                    recipient_id=user_id,
                    occasion=f"v{step.version}",
                    text=text,
                    url=url,
                    project_id=step.project_id,
                )
