import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_email_in_any_case(client):
    user = UserFactory(email="kari@example.no")
    response = client.post(reverse("login"), {"username": "Kari@Example.no", "password": PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_password_shows_norwegian_error_and_keeps_email(client):
    UserFactory(email="kari@example.no")
    response = client.post(reverse("login"), {"username": "kari@example.no", "password": "feil"})
    html = response.content.decode()
    assert "E-postadressen eller passordet er feil" in html
    assert 'value="kari@example.no"' in html


def test_login_is_throttled_after_repeated_failures(client):
    UserFactory(email="kari@example.no")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "kari@example.no", "password": "feil"})
    response = client.post(reverse("login"), {"username": "kari@example.no", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_throttling_counts_an_address_in_any_case_as_one(client):
    UserFactory(email="hr@example.no")
    for n in range(settings.AXES_FAILURE_LIMIT):
        typed = ("HR@example.no", "hr@EXAMPLE.no", " Hr@Example.No ")[n % 3]
        client.post(reverse("login"), {"username": typed, "password": "feil"})
    response = client.post(reverse("login"), {"username": "hr@example.no", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_session(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_link(client, django_capture_on_commit_callbacks):
    UserFactory(email="kari@example.no")
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends it (an outbox job)
        client.post(reverse("password_reset"), {"email": "kari@example.no"})
    assert len(mail.outbox) == 1
    assert "/account/reset/" in mail.outbox[0].body


def test_pages_send_csp_without_inline_scripts(client):
    client.force_login(UserFactory())
    policy = client.get(reverse("projects:mine"))["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src
    assert "unsafe-inline" not in script_src


def test_pages_never_load_from_another_host(client):
    client.force_login(UserFactory())
    html = client.get(reverse("projects:mine")).content.decode()
    assert "//cdn" not in html
    assert 'src="http' not in html
    assert 'href="http' not in html


def test_language_switch_remembers_choice_for_user(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("projects:mine")})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert "My projects" in client.get(reverse("projects:mine")).content.decode()


def test_preferred_language_applies_after_login(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    html = client.get(reverse("projects:mine")).content.decode()
    assert '<html lang="en">' in html
    assert "My projects" in html


def test_norwegian_is_the_default(client):
    client.force_login(UserFactory())
    html = client.get(reverse("projects:mine")).content.decode()
    assert '<html lang="nb">' in html
    assert "Mine prosjekter" in html


def test_language_switch_refuses_foreign_redirect(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_settings_page_saves_name_and_phone(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("settings"), {"full_name": "Nytt Navn", "phone": "55 55 55 55", "preferred_language": "nb"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("Nytt Navn", "55 55 55 55")
