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
from projects.models import Membership, Project, Role

from .models import OpenSignOff

WAITING_WORKING_DAYS = 5


@reminders.source("signoff_waiting", gettext_lazy("Sign-offs waiting more than five working days"), order=20)
def signoffs_waiting(today):
    """From the stored open sign-offs (`OpenSignOff`: the one rule for what waits) of active projects: those
    whose version was sent more than five working days before `today`, one reminder per holder of the role."""
    from .selectors import overdue_cutoff

    # The database leaves out what is not overdue yet (fewer than five working days since it was sent); a
    # reminder waits one working day more, so each row is checked again below.
    recent = overdue_cutoff(today)
    rows = [
        row
        for row in OpenSignOff.objects.filter(project__status=Project.Status.ACTIVE, version_at__lt=recent)
        .select_related("step__project")
        .only("role", "version_at", "step__id", "step__project_id", "step__name_nb", "step__name_en", "step__version",
              "step__project__name")
        .order_by("step_id", "role")
        if reminders.working_days_between(timezone.localtime(row.version_at).date(), today) > WAITING_WORKING_DAYS
    ]  # fmt: skip
    holders = {}
    members = Membership.objects.filter(project_id__in={row.step.project_id for row in rows})
    for project_id, role, user_id in members.values_list("project_id", "role", "user_id"):
        holders.setdefault((project_id, role), set()).add(user_id)
    for row in rows:
        step = row.step
        since = timezone.localtime(row.version_at).date()
        url = reverse("participation:step", args=[step.project_id, step.pk])
        text = reminders.texts(
            lambda step=step, role=row.role, since=since: (
                gettext_lazy("“%(step)s” in %(project)s has waited for sign-off from %(role)s since %(date)s.")
                % {
                    "step": step.name,
                    "project": step.project.name,
                    "role": Role(role).label.lower(),
                    "date": date_format(since, "DATE_FORMAT"),
                }
            )
        )
        for user_id in sorted(holders.get((step.project_id, row.role), ())):
            yield reminders.Due(
                obj=f"step:{step.pk}:{row.role}",
                recipient_id=user_id,
                occasion=f"v{step.version}",
                text=text,
                url=url,
                project_id=step.project_id,
            )
