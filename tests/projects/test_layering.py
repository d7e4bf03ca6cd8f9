"""Each app imports and names only the apps below it; the core (projects) none of them. Each app brings its own
rules. The layers, bottom up: projects < phases < workproducts < space, participation < evaluation < dashboard
(the coordinators' overview, which reads them all, as django-oscar's dashboard does)."""

import re
from pathlib import Path

import rules
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
UPPER_APPS = ("phases", "workproducts", "space", "participation", "evaluation", "dashboard")

# What each app may import or name (its own name aside). A new app gets a line here, in its layer.
BELOW = {
    "projects": (),
    "phases": ("projects",),
    "workproducts": ("projects", "phases"),
    "space": ("projects", "phases", "workproducts"),
    "participation": ("projects", "phases", "workproducts"),
    "evaluation": ("projects", "phases", "workproducts", "space", "participation"),
    "surveys": ("projects", "phases", "workproducts", "space", "participation", "evaluation"),
    "lessons": ("projects", "phases"),
    "toolbox": ("projects", "phases", "lessons"),
    "archive": ("projects", "phases", "workproducts", "space", "participation", "evaluation"),
    "dashboard": (
        "projects",
        "phases",
        "workproducts",
        "space",
        "participation",
        "evaluation",
        "surveys",
        "archive",
        "lessons",
        "toolbox",
    ),  # fmt: skip
}
# Template folders that belong to no app in particular are part of the core.
CORE_TEMPLATE_DIRS = ("email", "includes", "pages", "pdf", "registration")


def _our_apps():
    return sorted(c.label for c in apps.get_app_configs() if Path(c.path).parent == ROOT)


def _files(app):
    yield from (p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)
    yield from (ROOT / "templates" / app).rglob("*.html")
    if app == "projects":
        yield from (ROOT / "templates").glob("*.html")
        for folder in CORE_TEMPLATE_DIRS:
            yield from (ROOT / "templates" / folder).rglob("*")


def _reference(app, others):
    """A line that imports one of `others` (Python) or names its URLs, permissions or templates in a string."""
    names = "|".join(others)
    return re.compile(rf"^\s*(from|import)\s+({names})\b|[\"']({names})[.:/]")


def offenders(app, lines):
    above = [other for other in BELOW if other != app and other not in BELOW[app]]
    if not above:
        return []
    pattern = _reference(app, above)
    return [line.strip() for line in lines if pattern.search(line)]


def test_every_app_has_a_layer():
    assert _our_apps() == sorted(BELOW)


def test_no_app_imports_or_names_an_app_above_it():
    found = [
        f"{path.relative_to(ROOT)}: {line}"
        for app in BELOW
        for path in _files(app)
        if path.is_file()
        for line in offenders(app, path.read_text().splitlines())
    ]
    assert found == []


def test_the_check_finds_an_import_or_a_name_from_above():
    assert offenders("phases", ["from workproducts.registry import KINDS"])
    assert offenders("workproducts", ["    from participation.models import Step"])
    assert offenders("workproducts", ['{% url "space:study" project.pk study.pk %}'])
    assert offenders("space", ['has_perm("participation.sign_step")'])
    assert offenders("participation", ["import evaluation.services"])
    assert not offenders("evaluation", ["from participation.models import Step", "from space import selectors"])
    assert not offenders("phases", ["# the parties sign in participation."])
    assert offenders("evaluation", ["from dashboard.parts import Column", '{% url "dashboard:overview" %}'])
    assert not offenders("dashboard", ["from evaluation.models import Evaluation"])


def test_projects_neither_imports_nor_names_an_app_above_it():
    """The core is held to more: not even a comment names an app above it (its own template folders; the
    shared ones speak of phases and participation in prose)."""
    pattern = re.compile(r"\b(" + "|".join(UPPER_APPS) + r")[.:]")
    core = [
        *(p for p in (ROOT / "projects").rglob("*.py") if "migrations" not in p.parts),
        ROOT / "templates" / "base.html",
    ]
    core += (ROOT / "templates" / "projects").rglob("*.html")
    offenders_ = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in core
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders_ == []


def test_each_app_declares_its_own_rules():
    source = (ROOT / "projects" / "permissions.py").read_text()
    for app in UPPER_APPS:
        assert f'"{app}.' not in source
    assert rules.perm_exists("phases.complete_phase")
    assert rules.perm_exists("workproducts.edit_work_product")
    assert rules.perm_exists("space.manage_room_catalogue")
    assert rules.perm_exists("participation.sign_step")
    assert rules.perm_exists("evaluation.view_sensitive_measures")
