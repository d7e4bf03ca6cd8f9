"""Nynorsk is a third interface language, chosen with the switch like the others and remembered per user."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_switch_offers_the_two_other_languages(client):
    client.force_login(UserFactory())
    html = client.get(reverse("projects:mine")).content.decode()
    assert 'value="nn"' in html and 'value="en"' in html
    assert 'name="language" value="nb"' not in html


def test_choosing_nynorsk_is_remembered_for_the_user(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "nn", "next": reverse("projects:mine")})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "nn"
    html = client.get(reverse("projects:mine")).content.decode()
    assert '<html lang="nn">' in html
    assert "Prosjekta mine" in html
    assert "Innstillingar" in html


def test_nynorsk_applies_after_login_on_another_browser(client):
    user = UserFactory(preferred_language="nn")
    client.force_login(user)
    html = client.get(reverse("projects:mine")).content.decode()
    assert '<html lang="nn">' in html
    assert "Logg ut" in html and "Byt passord" in html


def test_settings_page_offers_nynorsk(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("settings"), {"full_name": user.full_name, "phone": "", "preferred_language": "nn"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "nn"


def test_logged_out_login_page_in_nynorsk(client):
    client.post(reverse("set_language"), {"language": "nn", "next": reverse("login")})
    html = client.get(reverse("login")).content.decode()
    assert "Gløymt passordet?" in html
