"""Every URL against every kind of user, asserting the exact status code.

Add a URL with one line in ROWS. `project_page` reads: anonymous users go to log in, people who may not see
the project get 404, people who see it get `ok` when they may do the action and 403 otherwise.
"""

import pytest
from django.urls import reverse

from projects.models import Role
from tests.factories import (
    MembershipFactory,
    OrgUnitFactory,
    ProjectFactory,
    UserFactory,
    coordinator,
    hr_adviser,
)

MEMBER_ROLES = tuple(Role.values)
ROLES = ("anonymous", "outsider", "leader", *MEMBER_ROLES, "coordinator", "hr", "staff")
SEES_PROJECT = frozenset(MEMBER_ROLES) | {"coordinator"}
OWNER_MANAGER = ("owner", "manager")


def everyone(code, **overrides):
    return {role: overrides.get(role, code) for role in ROLES}


def logged_in(code, **overrides):
    return everyone(code, anonymous=302, **overrides)


def project_page(ok=200, allowed=SEES_PROJECT, denied=403):
    codes = {}
    for role in ROLES:
        if role == "anonymous":
            codes[role] = 302
        elif role not in SEES_PROJECT:
            codes[role] = 404
        else:
            codes[role] = ok if role in allowed else denied
    return codes


def P(name, *extra):
    return lambda w: reverse(name, args=[w["project"].pk, *[w[e].pk for e in extra]])


def U(name):
    return lambda w: reverse(name)


# (name, url, method, expected status per role)
ROWS = [
    ("home", U("home"), "get", logged_in(302)),
    ("my projects", U("projects:mine"), "get", logged_in(200)),
    ("project create", U("projects:create"), "get", logged_in(403, leader=200, coordinator=200)),
    ("project overview", P("projects:detail"), "get", project_page()),
    ("project edit", P("projects:edit"), "get", project_page(allowed=OWNER_MANAGER)),
    ("members", P("projects:members"), "get", project_page()),
    ("member add", P("projects:member_add"), "get", project_page(ok=302, allowed=OWNER_MANAGER)),
    ("member invite", P("projects:member_invite"), "get", project_page(ok=302, allowed=OWNER_MANAGER)),
    (
        "member role",
        P("projects:member_role", "member_membership"),
        "get",
        project_page(allowed=OWNER_MANAGER),
    ),
    (
        "member remove",
        P("projects:member_remove", "member_membership"),
        "get",
        project_page(allowed=OWNER_MANAGER),
    ),
    ("history", P("projects:history"), "get", project_page()),
    ("settings", U("settings"), "get", logged_in(200)),
    ("language switch", U("set_language"), "get", everyone(405)),
    ("log in", U("login"), "get", everyone(302, anonymous=200)),
    ("password reset", U("password_reset"), "get", everyone(200)),
    ("password change", U("password_change"), "get", logged_in(200)),
    ("admin", U("admin:index"), "get", everyone(302, staff=200)),
]


@pytest.fixture
def world(db):
    project = ProjectFactory()
    w = {"project": project}
    for role in MEMBER_ROLES:
        m = MembershipFactory(project=project, role=role)
        w[role] = m.user
        w[f"{role}_membership"] = m
    w["outsider"] = MembershipFactory(project=ProjectFactory(), role=Role.OWNER).user
    w["leader"] = UserFactory()
    OrgUnitFactory(leader=w["leader"])
    w["coordinator"] = coordinator()
    w["hr"] = hr_adviser()
    w["staff"] = UserFactory(is_staff=True)
    return w


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "url", "method", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_permission_matrix(client, world, name, url, method, expected, role):
    if role != "anonymous":
        client.force_login(world[role])
    response = getattr(client, method)(url(world))
    assert response.status_code == expected[role], f"{name} as {role}"


def test_matrix_covers_every_url():
    """A new URL without a row fails here, so the matrix cannot fall behind the app."""
    from django.urls import get_resolver

    def names(resolver, prefix=""):
        for p in resolver.url_patterns:
            if hasattr(p, "url_patterns"):
                ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
                yield from names(p, ns)
            elif p.name:
                yield prefix + p.name

    covered = {
        "home",
        "projects:mine",
        "projects:create",
        "projects:detail",
        "projects:edit",
        "projects:members",
        "projects:member_add",
        "projects:member_invite",
        "projects:member_role",
        "projects:member_remove",
        "projects:history",
        "settings",
        "set_language",
        "login",
        "password_reset",
        "password_change",
    }
    # Auth views that need a token or only follow a form post are covered by their own tests.
    elsewhere = {
        "logout",
        "password_change_done",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
    app_names = {n for n in names(get_resolver()) if not n.startswith("admin:")}
    assert app_names - covered - elsewhere == set()
