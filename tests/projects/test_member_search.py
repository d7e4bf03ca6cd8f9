"""The member picker searches by name or e-mail instead of listing every user with their address."""

import pytest
from django.urls import reverse

from projects.models import Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_members_page_lists_nobody_until_one_searches(client, project, owner):
    strangers = UserFactory.create_batch(30)
    client.force_login(owner)
    html = client.get(reverse("projects:members", args=[project.pk])).content.decode()
    assert 'type="search"' in html
    assert not any(s.email in html for s in strangers)


def test_search_finds_by_name_or_email_and_the_person_is_added(client, project, owner):
    mona = UserFactory(full_name="Mona Medlem", email="mona.m@example.no")
    other = UserFactory(full_name="Per Leder", email="per@example.no")
    UserFactory.create_batch(30)
    client.force_login(owner)
    url = reverse("projects:members", args=[project.pk])
    for query in ("mona", "medlem", "MONA.M@EX", "mona medlem"):
        html = client.get(url, {"q": query}).content.decode()
        assert "Mona Medlem" in html, query
        assert other.email not in html, query
    html = client.get(url, {"q": "finnesikke"}).content.decode()
    assert "Ingen treff på «finnesikke»" in html
    response = client.post(
        reverse("projects:member_add", args=[project.pk]),
        {"add-q": "mona", "add-user": mona.pk, "add-role": Role.MEMBER},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(project=project, user=mona, role=Role.MEMBER).exists()


def test_at_most_twenty_matches_are_shown(client, project, owner):
    UserFactory.create_batch(25, full_name="Hansen")
    client.force_login(owner)
    html = client.get(reverse("projects:members", args=[project.pk]), {"q": "hansen"}).content.decode()
    assert html.count('name="add-user"') == 20
    assert "de første 20 treffene" in html


def test_a_missing_choice_keeps_the_search_and_says_what_to_do(client, project, owner):
    UserFactory(full_name="Mona Medlem")
    client.force_login(owner)
    response = client.post(
        reverse("projects:member_add", args=[project.pk]), {"add-q": "mona", "add-role": Role.MEMBER}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Søk etter personen og velg vedkommende i listen." in html
    assert "Mona Medlem" in html
    assert 'value="member" selected' in html
