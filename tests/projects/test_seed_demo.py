from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from projects.models import Membership, Project, Role, User

pytestmark = pytest.mark.django_db


def _counts():
    ours = ("projects", "phases", "workproducts", "space", "participation", "evaluation")
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label in ours}


def test_seed_demo_creates_a_user_per_role_and_six_projects():
    call_command("seed_demo", verbosity=0)
    assert Project.objects.count() == 6
    held = set(Membership.objects.values_list("role", flat=True))
    assert {Role.OWNER, Role.MANAGER, Role.SAFETY_REP, Role.UNION_REP, Role.OH_SERVICE, Role.MEMBER} <= held
    assert User.objects.get(email="koordinator@demo.kommune.no").groups.filter(name="coordinator").exists()
    assert User.objects.get(email="hr@demo.kommune.no").groups.filter(name="hr").exists()
    assert User.objects.get(email="admin@demo.kommune.no").is_staff


def test_seed_demo_spreads_projects_over_the_phases():
    call_command("seed_demo", verbosity=0)
    completed = {
        p.case_number: sum(1 for ph in p.phases.all() if ph.completed_at)
        for p in Project.objects.prefetch_related("phases")
    }
    assert sorted(completed.values()) == [0, 0, 1, 2, 3, 3]


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before


def test_demo_users_log_in_with_the_readme_password(client):
    from projects.management.commands.seed_demo import DEMO_PASSWORD

    call_command("seed_demo", verbosity=0)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert DEMO_PASSWORD in readme
    for user in User.objects.all():
        assert user.email in readme
        assert client.post("/account/login/", {"username": user.email, "password": DEMO_PASSWORD}).status_code == 302
        client.logout()
