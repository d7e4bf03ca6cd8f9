"""Reminder e-mails as machines should write them: a one-line subject whatever the project is called, and
`Auto-Submitted: auto-generated` (RFC 3834), so out-of-office replies do not come back (issues 23 and 24)."""

import datetime

import pytest

from projects.models import Notification, Project, ReminderEmail, Role
from projects.services import reminder_email_message
from tests.factories import ProjectFactory, member

pytestmark = pytest.mark.django_db


def _message(project, user, text):
    email = ReminderEmail.objects.create(
        key="k", kind=ReminderEmail.Kind.URGENT, recipient=user, day=datetime.date(2027, 3, 1)
    )
    note = Notification.objects.create(key="n", kind="test", recipient=user, project=project, text={"nb": text})
    return reminder_email_message(email=email, user=user, items=[note], now=datetime.datetime.now(datetime.UTC))


def test_an_urgent_reminder_for_an_old_name_with_a_break_still_has_a_one_line_subject():
    """Names stored before the one-line rule may hold a break: the e-mail is still made, its subject one line."""
    project = ProjectFactory()
    Project.objects.filter(pk=project.pk).update(name="Flytting\nnr. 2")
    user = member(project, Role.OWNER)
    message = _message(project, user, "Frist for Flytting\r\nnr. 2")
    assert message.subject == "Prosessguiden: Frist for Flytting nr. 2"
    assert message.message()["Subject"] == "Prosessguiden: Frist for Flytting nr. 2"


def test_a_reminder_says_it_was_sent_automatically():
    project = ProjectFactory()
    user = member(project, Role.OWNER)
    assert _message(project, user, "Frist i morgen").message()["Auto-Submitted"] == "auto-generated"
