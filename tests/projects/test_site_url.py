"""Every absolute link starts with SITE_URL, never with the host a request came in on; the language cookie
follows the LANGUAGE_COOKIE_* settings (Secure in production)."""

import pytest
from django.core import mail
from django.urls import reverse

from projects.models import Role
from projects.services import calendar_feed_for
from tests.factories import ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db
SITE = "https://prosessguiden.kommune.no"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "other-host.example.org"]
    return SITE


def invite(client, project, owner):
    client.force_login(owner)
    return client.post(
        reverse("projects:member_invite", args=[project.pk]),
        {"invite-full_name": "Vera Verneombud", "invite-email": "vera@example.no", "invite-role": Role.SAFETY_REP},
        HTTP_HOST="other-host.example.org",
    )


def test_invitation_link_starts_with_site_url_not_the_inviters_host(client, site, django_capture_on_commit_callbacks):
    project = ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, project, member(project, Role.OWNER)).status_code == 302
    body = mail.outbox[0].body
    assert f"{SITE}/account/reset/" in body
    assert "other-host" not in body and "testserver" not in body


def test_invitation_without_local_login_says_log_in_with_the_municipality_account(
    client, site, settings, django_capture_on_commit_callbacks
):
    settings.LOCAL_LOGIN_ENABLED = False
    settings.OIDC_PROVIDER_NAME = "Bergen kommune"
    project = ProjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, project, member(project, Role.OWNER)).status_code == 302
    body = mail.outbox[0].body
    assert "/account/reset/" not in body and "Velg passord" not in body
    assert "Logg inn med kommunekontoen din (Bergen kommune) her:" in body
    assert f"{SITE}/account/login/" in body
    client.logout()
    assert client.get("/account/login/").status_code == 200  # the link answers


def test_password_reset_link_starts_with_site_url(client, site, django_capture_on_commit_callbacks):
    UserFactory(email="kari@example.no")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("password_reset"), {"email": "kari@example.no"}, HTTP_HOST="other-host.example.org"
        )
    assert response.status_code == 302
    body = mail.outbox[0].body
    assert f"{SITE}/account/reset/" in body and "other-host" not in body


def test_calendar_addresses_start_with_site_url(client, site):
    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    client.force_login(owner)
    html = client.get(reverse("calendar"), HTTP_HOST="other-host.example.org").content.decode()
    token = calendar_feed_for(user=owner).token
    assert f"{SITE}/calendar/{token}.ics" in html and f"{SITE}/calendar/{token}/{project.pk}.ics" in html
    assert "other-host" not in html


@pytest.mark.parametrize("how", ["switch", "settings"])
def test_language_cookie_is_secure_when_the_settings_say_so(client, settings, how):
    settings.LANGUAGE_COOKIE_SECURE = True
    user = UserFactory()
    client.force_login(user)
    if how == "switch":
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    else:
        response = client.post(
            reverse("settings"),
            {"full_name": user.full_name, "phone": "", "preferred_language": "nn"},
        )
    assert response.status_code == 302, response.content.decode()[:500]
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_invitation_comes_as_text_and_html_with_the_same_words_and_link(
    client, site, django_capture_on_commit_callbacks
):
    import re

    project = ProjectFactory(name="Arkivet flytter")
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, project, member(project, Role.OWNER, full_name="Kari Eier")).status_code == 302
    message = mail.outbox[0]
    assert message.subject == "Du er invitert til Prosessguiden"
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    link = re.search(r"https://\S+/account/reset/\S+/", message.body).group(0)
    assert link.startswith(f"{SITE}/account/reset/")
    assert f'href="{link}"' in html and "other-host" not in html and "testserver" not in html
    for words in ("Hei Vera Verneombud,", "Kari Eier har gitt deg en rolle i prosjektet «Arkivet flytter»",
                  "Velg passord her. Lenken virker én gang:", "vera@example.no"):  # fmt: skip
        assert words in message.body and words in html
    assert '<html lang="nb">' in html
