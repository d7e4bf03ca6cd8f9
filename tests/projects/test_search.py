"""One search for the whole product (projects/search.py): accent- and case-insensitive contains-search, the
same on SQLite and PostgreSQL, served on PostgreSQL by a trigram index on the projects' folded text."""

import pytest
from django.db import connection
from django.urls import reverse

from participation.selectors import signed_by
from projects import search
from projects.models import Project, Role, User
from tests.factories import ProjectFactory, UserFactory, coordinator, member

pytestmark = pytest.mark.django_db


def test_fold_takes_off_accents_and_case():
    assert (
        search.fold("Økonomi- og LØNNSSEKSJONEN på Åsane, Café Ære") == "okonomi- og lonnsseksjonen pa asane, cafe aere"
    )
    assert search.words("  okonomi  ÅSANE ") == ["okonomi", "asane"]


def test_the_database_folds_as_python_does():
    project = ProjectFactory(name="Økonomi flytter", case_number="2026/ÆØÅ", address="Café Ære", building="Bygg É ü Ö")
    project.refresh_from_db()
    assert project.search_text == search.fold("Økonomi flytter 2026/ÆØÅ Café Ære Bygg É ü Ö")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("okonomi", True),
        ("ØKONOMI", True),
        ("økonomi flytter", True),  # every word, in any order
        ("flytter okonomi", True),
        ("2026/77", True),  # the case number
        ("asane", True),  # the address
        ("okonomi lonn", False),
        ("%", False),  # a wildcard is a character like any other
    ],
)
def test_project_search(query, found):
    project = ProjectFactory(name="Økonomi flytter", case_number="2026/77", address="Åsane senter")
    ProjectFactory(name="Kultur")
    hits = list(Project.objects.filter(search.contains(query, column="search_text")))
    assert hits == ([project] if found else [])


def test_the_overview_finds_okonomi_in_okonomi(client):
    project = ProjectFactory(name="Økonomi flytter")
    ProjectFactory(name="Kultur")
    client.force_login(coordinator())
    response = client.get(reverse("dashboard:overview"), {"q": "okonomi"})
    assert [row.name for row in response.context["page"].object_list] == [project.name]
    owner = member(project, Role.OWNER, full_name="Kåre Østbø")
    response = client.get(reverse("dashboard:overview"), {"q": "ostbo"})  # the owner's name
    assert [row.name for row in response.context["page"].object_list] == [project.name]
    assert owner


def test_the_member_picker_finds_ostbo_in_ostbo(client):
    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    UserFactory(full_name="Kåre Østbø", email="kare@example.no")
    UserFactory(full_name="Per Hansen", email="per@example.no")
    client.force_login(owner)
    html = client.get(reverse("projects:members", args=[project.pk]), {"q": "kare ostbo"}).content.decode()
    assert "Kåre Østbø" in html and "Per Hansen" not in html
    assert [u.full_name for u in User.objects.filter(search.contains("ØSTBØ", "full_name", "email"))] == ["Kåre Østbø"]


def test_the_inbox_filter_uses_the_same_search():
    """The signed list's project filter reads the projects' folded column (its rows: tests/participation)."""
    qs = signed_by(user=UserFactory(), project="Økonomi")
    assert "search_text" in str(qs.query) and "okonomi" in str(qs.query)
    assert list(qs) == []


def test_postgresql_serves_the_contains_search_from_the_trigram_index(postgres):
    ProjectFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # five rows: show that the index can serve it
        sql, params = Project.objects.filter(search.contains("okonomi", column="search_text")).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "project_search_text_trgm" in plan, plan


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("projects_user_changelist", "ostbo"),
        ("projects_orgunit_changelist", "okonomi"),
        ("projects_project_changelist", "okonomi"),
        ("projects_membership_changelist", "ØSTBØ okonomi"),
    ],
)
def test_the_admin_searches_the_same_way(admin_client, page, query):
    """The admin's lists of people, units, projects and members find "Østbø" and "Økonomi" without the accents."""
    from projects.models import OrgUnit

    project = ProjectFactory(name="Økonomi flytter")
    member(ProjectFactory(name="Kultur"), Role.OWNER, full_name="Per Hansen")
    member(project, Role.OWNER, full_name="Kåre Østbø")
    OrgUnit.objects.create(name="Økonomiavdelingen", kind=OrgUnit.Kind.MUNICIPALITY)
    OrgUnit.objects.create(name="Kulturetaten", kind=OrgUnit.Kind.MUNICIPALITY)
    response = admin_client.get(reverse(f"admin:{page}"), {"q": query})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1, page
    assert response.context["cl"].queryset.model.objects.count() > 1  # the others are left out
