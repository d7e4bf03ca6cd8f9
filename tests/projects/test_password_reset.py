"""Password reset: the e-mail is sent by the worker (an outbox job) with a link from SITE_URL, at most a few an
hour to one address, and one client address may ask only so often."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from projects.models import Job, PasswordResetRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SITE = "https://prosessguiden.kommune.no"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def ask(client, email, address="192.0.2.10"):
    """Through nginx on this machine, from `address`."""
    return client.post(
        reverse("password_reset"), {"email": email}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address
    )


def test_the_reset_mail_is_a_job_for_the_worker_with_a_link_from_site_url(client, django_capture_on_commit_callbacks):
    UserFactory(email="kari@example.no")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = ask(client, "Kari@Example.no")
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    job = Job.objects.get(kind="auth.password_reset")
    assert set(job.payload) == {"user_id"}  # no token in the job
    assert mail.outbox == []  # nothing was sent in the request
    for callback in callbacks:
        callback()  # the wake-up: the worker runs the job (eager in tests)
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/account/reset/" in line)
    assert link.startswith(f"{SITE}/account/reset/")
    form_url = client.get(link.removeprefix(SITE))["Location"]
    response = client.post(form_url, {"new_password1": "Nytt-og-langt-2027", "new_password2": "Nytt-og-langt-2027"})
    assert response.status_code == 302
    login = client.post(reverse("login"), {"username": "kari@example.no", "password": "Nytt-og-langt-2027"})
    assert login.status_code == 302


def test_at_most_three_mails_an_hour_to_one_address(client, settings, django_capture_on_commit_callbacks):
    UserFactory(email="kari@example.no")
    for n in range(settings.PASSWORD_RESET_EMAIL_LIMIT + 2):
        with django_capture_on_commit_callbacks(execute=True):
            response = ask(client, "kari@example.no", address=f"192.0.2.{n}")
        assert response.status_code == 302  # the same page either way
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAIL_LIMIT
    # An hour later the address may get one again.
    PasswordResetRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "kari@example.no")
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAIL_LIMIT + 1


def test_one_client_address_may_ask_only_so_often(client, settings):
    for n in range(settings.PASSWORD_RESET_ADDRESS_LIMIT):
        assert ask(client, f"person{n}@example.no", address="192.0.2.66").status_code == 302
    response = ask(client, "one-more@example.no", address="192.0.2.66")
    assert response.status_code == 429
    assert "For mange forespørsler om nytt passord fra din adresse" in response.content.decode()
    assert ask(client, "one-more@example.no", address="192.0.2.10").status_code == 302  # another client
    # A forged left-most address does not help: the client is the one nginx saw.
    assert ask(client, "x@example.no", address="203.0.113.5, 192.0.2.66").status_code == 429


def test_no_mail_for_an_unknown_address_or_an_account_without_a_password(client, django_capture_on_commit_callbacks):
    invited = UserFactory(email="invited@example.no")
    invited.set_unusable_password()
    invited.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, "nobody@example.no").status_code == 302
        assert ask(client, "invited@example.no").status_code == 302
    assert mail.outbox == [] and not Job.objects.exists()
    assert PasswordResetRequest.objects.count() == 2  # still counted against the client address


def test_requests_are_kept_for_a_day(client):
    PasswordResetRequest.objects.create(email="old@example.no", created_at=timezone.now() - datetime.timedelta(days=2))
    ask(client, "new@example.no")
    assert list(PasswordResetRequest.objects.values_list("email", flat=True)) == ["new@example.no"]


def test_a_job_for_a_deactivated_person_sends_nothing(client, django_capture_on_commit_callbacks):
    kari = UserFactory(email="kari@example.no")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(client, "kari@example.no")
    kari.is_active = False
    kari.save()
    for callback in callbacks:
        callback()
    assert mail.outbox == []
