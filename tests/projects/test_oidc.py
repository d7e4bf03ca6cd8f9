"""Single sign-on against a stub OpenID Connect provider on 127.0.0.1 with keys this test makes."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from projects.models import COORDINATOR_GROUP, HR_GROUP, SsoIdentity, User
from tests.factories import PASSWORD, UserFactory
from tests.support.oidc_provider import StubProvider, new_key

pytestmark = pytest.mark.django_db
CLIENT_ID = "prosessguiden-test"


@pytest.fixture(scope="module")
def provider():
    with StubProvider() as p:
        yield p


def sso_turn_on(settings, provider):
    """Single sign-on switched on against the stub `provider` (its endpoints, our client id)."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_ISSUER = provider.url
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"


@pytest.fixture
def sso(settings, provider):
    provider.signing_key = provider.key
    sso_turn_on(settings, provider)
    settings.OIDC_OP_USER_ENDPOINT = ""
    settings.OIDC_OP_END_SESSION_ENDPOINT = ""
    settings.OIDC_OP_TENANT_ID = ""
    settings.OIDC_TRUSTED_EMAIL_DOMAINS = []
    settings.OIDC_ROLE_GROUPS = "coordinator=grp-ebe,hr=grp-hr;grp-hr2"
    settings.OIDC_CREATE_USER = True  # off by default: test_creation_is_off_unless_turned_on
    provider.userinfo = {}
    return provider


def sso_login(client, provider, **claims):
    """Go through the code flow: our start page, the provider (its answer decided here), our callback."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    location = urlparse(start["Location"])
    assert location.path == "/authorize"
    query = parse_qs(location.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [settings.SITE_URL + reverse("oidc_authentication_callback")]
    now = int(time.time())
    provider.claims = {
        "iss": provider.url,
        "aud": CLIENT_ID,
        "sub": "entra-object-id-1",
        "iat": now,
        "exp": now + 300,
        "nonce": query["nonce"][0],
        "email": "Kari.Nordmann@Kommune.no",
        "email_verified": True,
        "name": "Kari Nordmann",
        **claims,
    }
    provider.claims = {k: v for k, v in provider.claims.items() if v is not None}
    return client.get(reverse("oidc_authentication_callback"), {"code": "the-code", "state": query["state"][0]})


def logged_in_user(client):
    return client.get(reverse("projects:mine")).wsgi_request.user


def test_good_login_creates_the_person_by_email(client, sso):
    response = sso_login(client, sso)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = logged_in_user(client)
    assert user.is_authenticated
    assert user.email == "kari.nordmann@kommune.no"
    assert user.full_name == "Kari Nordmann"
    assert not user.has_usable_password()
    assert "code_verifier=" in sso.token_requests[-1]  # PKCE
    token_request = parse_qs(sso.token_requests[-1])
    assert token_request["redirect_uri"] == [settings.SITE_URL + reverse("oidc_authentication_callback")]


def test_existing_person_is_matched_by_email_and_name_refreshed(client, sso):
    existing = UserFactory(email="kari.nordmann@kommune.no", full_name="Kari Gammelnavn")
    sso_login(client, sso, email="KARI.NORDMANN@kommune.no", name="Kari Nordmann")
    assert logged_in_user(client) == existing
    existing.refresh_from_db()
    assert existing.full_name == "Kari Nordmann"
    assert User.objects.count() == 1


def test_email_may_come_from_preferred_username(client, sso):
    sso_login(
        client, sso, email=None, preferred_username="ola@kommune.no", name=None, given_name="Ola", family_name="Berg"
    )
    user = logged_in_user(client)
    assert (user.email, user.full_name) == ("ola@kommune.no", "Ola Berg")


def assert_refused(client, response, message="Innloggingen lyktes ikke."):
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not logged_in_user(client).is_authenticated
    page = client.get(reverse("login")).content.decode()
    assert message in page


def test_bad_signature_is_refused(client, sso):
    sso.signing_key = new_key()  # same kid, a key the provider never published
    assert_refused(client, sso_login(client, sso))
    assert not User.objects.exists()


def test_expired_token_is_refused(client, sso):
    past = int(time.time()) - 3600
    assert_refused(client, sso_login(client, sso, iat=past - 300, exp=past))


def test_wrong_audience_is_refused(client, sso):
    assert_refused(client, sso_login(client, sso, aud="another-application"))


def test_wrong_issuer_is_refused(client, sso):
    assert_refused(client, sso_login(client, sso, iss="https://login.example.org/other-tenant"))


def test_wrong_nonce_is_refused(client, sso):
    assert_refused(client, sso_login(client, sso, nonce="replayed"))


def test_inactive_person_is_refused(client, sso):
    UserFactory(email="kari.nordmann@kommune.no", is_active=False)
    assert_refused(client, sso_login(client, sso), "Denne kontoen er ikke aktiv.")


def test_group_claim_gives_and_takes_global_roles(client, sso):
    sso_login(client, sso, groups=["grp-ebe", "grp-hr2", "unrelated"])
    user = User.objects.get()
    assert set(user.groups.values_list("name", flat=True)) == {COORDINATOR_GROUP, HR_GROUP}
    client.logout()
    sso_login(client, sso, groups=["grp-hr"])
    assert set(user.groups.values_list("name", flat=True)) == {HR_GROUP}
    client.logout()
    sso_login(client, sso)  # no group claim: roles stay as they are
    assert set(user.groups.values_list("name", flat=True)) == {HR_GROUP}


def test_only_sso_when_local_login_is_off(client, sso, settings):
    settings.LOCAL_LOGIN_ENABLED = False
    html = client.get(reverse("login")).content.decode()
    assert reverse("oidc_authentication_init") in html
    assert 'type="password"' not in html
    assert reverse("password_reset") not in html
    user = UserFactory(email="lokal@kommune.no")
    assert client.post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code == 404
    assert authenticate(RequestFactory().post("/"), username=user.email, password=PASSWORD) is None
    assert client.get(reverse("password_reset")).status_code == 404
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith(reverse("login"))
    sso_login(client, sso)
    assert logged_in_user(client).is_authenticated
    assert reverse("password_change") not in client.get(reverse("projects:mine")).content.decode()


def test_login_page_offers_both_when_both_are_on(client, sso):
    html = client.get(reverse("login")).content.decode()
    assert reverse("oidc_authentication_init") in html
    assert 'type="password"' in html


def test_sso_pages_are_not_found_while_sso_is_off(client, settings):
    settings.OIDC_ENABLED = False
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code == 404
    assert reverse("oidc_authentication_init") not in client.get(reverse("login")).content.decode()


def test_oidc_settings_command_reads_discovery(provider, capsys):
    call_command("oidc_settings", f"{provider.url}/.well-known/openid-configuration")
    out = capsys.readouterr().out
    assert f"OIDC_OP_ISSUER={provider.url}\n" in out
    assert f"OIDC_OP_TOKEN_ENDPOINT={provider.url}/token\n" in out
    assert f"OIDC_OP_JWKS_ENDPOINT={provider.url}/jwks\n" in out


def test_failed_sso_callbacks_lock_no_one_out(client, sso, settings):
    """Behind a municipal NAT everyone shares an address: failed callbacks are not wrong passwords."""
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        response = sso_login(client, sso, aud="another-application")
        assert response.status_code == 302 and response["Location"] == reverse("login")
    stale = client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "unknown"})
    assert stale.status_code == 302
    assert not AccessAttempt.objects.exists()
    page = client.get(reverse("login")).content.decode()
    assert "Innloggingen lyktes ikke." in page and "feil passord" not in page
    response = sso_login(client, sso)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in_user(client).email == "kari.nordmann@kommune.no"


def test_a_password_lockout_does_not_block_single_sign_on(client, sso, settings):
    UserFactory(email="kari.nordmann@kommune.no")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "kari.nordmann@kommune.no", "password": "feil"})
    locked = client.post(reverse("login"), {"username": "kari.nordmann@kommune.no", "password": PASSWORD})
    assert locked.status_code == 429
    response = sso_login(client, sso)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert logged_in_user(client).is_authenticated


# The rules of issue 23: who the token is, and who it may become ---------------------------------------------


def identities(user):
    return list(SsoIdentity.objects.filter(user=user).values_list("issuer", "subject"))


def test_no_issuer_configured_accepts_no_token(client, sso, settings):
    settings.OIDC_OP_ISSUER = ""
    assert_refused(client, sso_login(client, sso))
    assert not User.objects.exists()


def test_another_tenant_is_refused(client, sso, settings):
    settings.OIDC_OP_TENANT_ID = "tenant-bergen"
    assert_refused(client, sso_login(client, sso, tid="tenant-another-municipality"))
    assert_refused(client, sso_login(client, sso))  # no tid at all
    assert not User.objects.exists()
    response = sso_login(client, sso, tid="tenant-bergen")
    assert response["Location"] == reverse("home") and logged_in_user(client).is_authenticated


def test_the_tenant_comes_from_an_entra_issuer(settings):
    from projects.oidc import tenant_id

    settings.OIDC_OP_TENANT_ID = ""
    settings.OIDC_OP_ISSUER = "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0"
    assert tenant_id() == "9188040d-6c67-4c5b-b112-36a304b66dad"
    settings.OIDC_OP_ISSUER = "https://idp.kommune.no/realms/ansatte"
    assert tenant_id() == ""


def test_creation_is_off_unless_turned_on(client, sso, settings):
    settings.OIDC_CREATE_USER = False
    assert_refused(client, sso_login(client, sso), "Du har ingen konto i Prosessguiden ennå.")
    assert not User.objects.exists()


def test_creation_off_is_the_default():
    from config.settings import base

    assert base.OIDC_CREATE_USER is False


def test_an_unverified_email_does_not_link_an_existing_account(client, sso):
    kari = UserFactory(email="kari.nordmann@kommune.no")
    assert_refused(client, sso_login(client, sso, email_verified=False), "ikke bekreftet e-postadressen din")
    assert_refused(client, sso_login(client, sso, email_verified=None), "ikke bekreftet e-postadressen din")
    assert identities(kari) == []
    sso_login(client, sso, email_verified=True)
    assert logged_in_user(client) == kari
    assert identities(kari) == [(sso.url, "entra-object-id-1")]


def test_an_unverified_email_does_not_make_an_account(client, sso):
    assert_refused(client, sso_login(client, sso, email_verified=False), "ikke bekreftet e-postadressen din")
    assert not User.objects.exists()


def test_entra_id_vouches_through_the_municipalitys_own_domains(client, sso, settings):
    """Entra ID's tokens carry no verified-e-mail claim; an address in a listed domain is vouched for."""
    settings.OIDC_TRUSTED_EMAIL_DOMAINS = ["kommune.no"]
    kari = UserFactory(email="kari.nordmann@kommune.no")
    ola = UserFactory(email="ola@gjest.example.org")
    sso_login(client, sso, email_verified=None)
    assert logged_in_user(client) == kari
    client.logout()
    assert_refused(
        client, sso_login(client, sso, sub="guest-2", email="ola@gjest.example.org", email_verified=None), "bekreftet"
    )
    assert identities(ola) == []


def test_once_linked_the_person_is_matched_by_issuer_and_subject_never_by_email(client, sso):
    kari = UserFactory(email="kari.nordmann@kommune.no", full_name="Kari Nordmann")
    other = UserFactory(email="per@kommune.no")
    sso_login(client, sso)  # links kari to entra-object-id-1
    client.logout()
    # The same subject with another (vouched, free) address: still Kari, whose address follows.
    sso_login(client, sso, email="kari.gift@kommune.no")
    assert logged_in_user(client) == kari
    kari.refresh_from_db()
    assert kari.email == "kari.gift@kommune.no"
    client.logout()
    # The same subject claiming someone else's address: still Kari, and Per's account is untouched.
    sso_login(client, sso, email="per@kommune.no")
    assert logged_in_user(client) == kari
    client.logout()
    # Another subject of the same issuer with Kari's address: not Kari.
    assert_refused(client, sso_login(client, sso, sub="someone-else", email="kari.gift@kommune.no"), "kan ikke kobles")
    assert identities(kari) == [(sso.url, "entra-object-id-1")] and identities(other) == []
    assert User.objects.count() == 2


def test_an_unvouched_address_from_a_linked_subject_is_not_taken_over(client, sso):
    kari = UserFactory(email="kari.nordmann@kommune.no")
    sso_login(client, sso)
    client.logout()
    sso_login(client, sso, email="noe.annet@kommune.no", email_verified=False)
    assert logged_in_user(client) == kari
    kari.refresh_from_db()
    assert kari.email == "kari.nordmann@kommune.no"


def test_no_name_claim_leaves_the_name_alone(client, sso):
    kari = UserFactory(email="kari.nordmann@kommune.no", full_name="Kari Nordmann")
    sso_login(client, sso, name=None)
    assert logged_in_user(client) == kari
    kari.refresh_from_db()
    assert kari.full_name == "Kari Nordmann"
    client.logout()
    sso_login(client, sso, name="Kari Nordmann-Berg")
    kari.refresh_from_db()
    assert kari.full_name == "Kari Nordmann-Berg"


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_an_administrator_is_never_matched_by_the_email_claim(client, sso, flags):
    admin = UserFactory(email="kari.nordmann@kommune.no", **flags)
    assert_refused(client, sso_login(client, sso, groups=["grp-adm"]), "kan ikke kobles")
    assert identities(admin) == []
    admin.refresh_from_db()
    assert admin.is_staff


def test_superuser_status_comes_only_through_the_named_admin_group(client, sso, settings):
    sso_login(client, sso, groups=["admin", "Administrators", "grp-adm"])  # no admin group in the settings
    kari = User.objects.get()
    assert not kari.is_superuser and not kari.is_staff
    client.logout()
    User.objects.filter(pk=kari.pk).update(is_superuser=True, is_staff=True)  # given in the admin
    sso_login(client, sso, groups=[])
    kari.refresh_from_db()
    assert kari.is_superuser  # single sign-on without an admin group never changes it
    client.logout()
    settings.OIDC_ROLE_GROUPS = "coordinator=grp-ebe,admin=grp-adm"
    sso_login(client, sso, groups=["grp-ebe"])
    kari.refresh_from_db()
    assert not kari.is_superuser and not kari.is_staff
    client.logout()
    sso_login(client, sso, groups=["grp-adm"])
    kari.refresh_from_db()
    assert kari.is_superuser and kari.is_staff


def test_log_out_ends_the_provider_session_where_it_has_an_end_session_endpoint(client, sso, settings):
    settings.OIDC_OP_END_SESSION_ENDPOINT = f"{sso.url}/logout"
    sso_login(client, sso)
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso.url}/logout"
    assert parse_qs(location.query) == {
        "id_token_hint": [id_token],
        "client_id": [CLIENT_ID],
        "post_logout_redirect_uri": [settings.SITE_URL + reverse("login")],
    }
    assert not logged_in_user(client).is_authenticated


def test_log_out_stays_here_without_an_end_session_endpoint_or_single_sign_on(client, sso, settings):
    sso_login(client, sso)
    assert client.post(reverse("logout"))["Location"] == reverse("login")
    settings.OIDC_OP_END_SESSION_ENDPOINT = f"{sso.url}/logout"
    client.force_login(UserFactory())  # logged in with a password: nothing to end at the provider
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_a_refused_log_in_keeps_no_id_token(client, sso):
    assert_refused(client, sso_login(client, sso, email_verified=False), "bekreftet")
    assert "oidc_id_token" not in client.session


def test_a_strict_provider_gives_the_email_and_name_through_userinfo(client, sso, settings):
    claims = {"email": None, "email_verified": None, "name": None}
    sso.userinfo = {"sub": "entra-object-id-1", "email": "kari@kommune.no", "email_verified": True, "name": "Kari"}
    assert_refused(client, sso_login(client, sso, **claims), "sendte ingen e-postadresse")  # no userinfo endpoint
    settings.OIDC_OP_USER_ENDPOINT = f"{sso.url}/userinfo"
    sso_login(client, sso, **claims)
    user = logged_in_user(client)
    assert (user.email, user.full_name) == ("kari@kommune.no", "Kari")
    client.logout()
    sso.userinfo = {**sso.userinfo, "sub": "someone-else"}
    assert_refused(client, sso_login(client, sso, **claims))


def test_oidc_settings_prints_userinfo_and_end_session(provider, capsys):
    call_command("oidc_settings", f"{provider.url}/.well-known/openid-configuration")
    out = capsys.readouterr().out
    assert f"OIDC_OP_USER_ENDPOINT={provider.url}/userinfo\n" in out
    assert f"OIDC_OP_END_SESSION_ENDPOINT={provider.url}/logout\n" in out
    assert f"OIDC_OP_AUTHORIZATION_ENDPOINT={provider.url}/authorize\n" in out
