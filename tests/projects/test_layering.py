"""The core (projects) imports and names none of the apps built on it; each app brings its own rules."""

import re
from pathlib import Path

import rules

ROOT = Path(__file__).resolve().parents[2]
UPPER_APPS = ("phases", "participation", "evaluation")


def _core_files():
    yield from (p for p in (ROOT / "projects").rglob("*.py") if "migrations" not in p.parts)
    yield ROOT / "templates" / "base.html"
    yield from (ROOT / "templates" / "projects").rglob("*.html")


def test_projects_neither_imports_nor_names_an_app_above_it():
    pattern = re.compile(r"\b(" + "|".join(UPPER_APPS) + r")[.:]")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _core_files()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_each_app_declares_its_own_rules():
    source = (ROOT / "projects" / "permissions.py").read_text()
    for app in UPPER_APPS:
        assert f'"{app}.' not in source
    assert rules.perm_exists("phases.complete_phase")
    assert rules.perm_exists("participation.sign_step")
    assert rules.perm_exists("evaluation.view_sensitive_measures")
