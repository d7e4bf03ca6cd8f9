"""The one way to plug in (projects/extensions.py): named hooks, read in order, and a test's own entries only for
the test's duration. Every hook name used in the code is listed in docs/architecture.md."""

import re
from pathlib import Path

from projects import extensions

ROOT = Path(__file__).resolve().parents[2]
APPS = [p.parent for p in ROOT.glob("*/apps.py")]


def test_entries_are_read_in_order_and_once():
    first, second, third = (lambda: 1), (lambda: 2), (lambda: 3)
    with extensions.registered("test_hook", second, order=20), extensions.registered("test_hook", first, order=10):
        extensions.register("test_hook", third, order=10)  # same order as `first`: after it, as registered later
        extensions.register("test_hook", first, order=10)  # again: kept once
        assert extensions.get("test_hook") == (first, third, second)
    assert extensions.get("test_hook") == ()


def test_an_entry_with_an_order_attribute_is_placed_by_it_and_read_by_key():
    tabs = [extensions.Tab("b", "B", "projects:mine", 2), extensions.Tab("a", "A", "projects:mine", 1)]
    with extensions.registered("test_tabs", *tabs):
        assert [t.key for t in extensions.get("test_tabs")] == ["a", "b"]
        assert extensions.by_key("test_tabs")["b"] is tabs[0]
    assert extensions.by_key("test_tabs") == {}


def test_registered_alone_hides_the_apps_entries_only_inside_the_block():
    before = extensions.get("nav_item")
    assert before  # the apps' own top-bar entries

    def only(request):
        return None

    with extensions.registered("nav_item", only, alone=True):
        assert extensions.get("nav_item") == (only,)
    assert extensions.get("nav_item") == before


def _names_in_code(pattern):
    found = set()
    for app in APPS:
        for path in app.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found.update(re.findall(pattern, path.read_text()))
    return found


def test_every_hook_is_read_somewhere_and_listed_in_the_architecture_document():
    read = _names_in_code(r'(?:extensions\.|(?<![\w.]))(?:get|by_key)\(\s*"([a-z_]+)"')
    registered = extensions.names() | _names_in_code(r'extensions\.register\(\s*"([a-z_]+)"')
    assert registered - read == set(), "registered under a name nobody reads"
    documented = set(re.findall(r"`([a-z_]+)`", (ROOT / "docs" / "architecture.md").read_text()))
    assert (read | registered) - documented == set(), "hooks missing from docs/architecture.md"
