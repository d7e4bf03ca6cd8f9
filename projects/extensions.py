"""Places where apps that build on projects plug in, so that projects imports none of them.

- `tab(...)`: a tab in the project's second row (Faser, Medvirkning, …).
- `overview_panel(fn)`: fn(request, project) -> {"template": ..., **context} or None, shown on the overview.
- `list_decorator(fn)`: fn(projects, user) sets display attributes on a page of projects in bulk
  (`phase_label`, `next_deadline`), so a list runs a fixed number of queries.
- `create_field(name, factory)`: an extra field on the project-create form; its value reaches
  `project_created` receivers in `options`.
- `project_created`: a signal sent inside `project_create`'s transaction; `project_updated` likewise inside
  `project_update` with the earlier values of the fields that changed (the process replans on new dates).
- `nav_item(order)`: fn(request) -> an entry in the top bar, or None.
- `landing_page(order)`: fn(user) -> the URL of this person's landing page, or None.
- `demo_seeder(fn)`: fn(projects_by_case_number, users_by_email) adds an app's part of the demo data.
"""

from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

project_created = Signal()  # sender=Project, project=…, by=…, options={…}
# Sent inside project_update's transaction when fields changed; `before` holds their earlier values.
project_updated = Signal()  # sender=Project, project=…, by=…, before={field: old value}


@dataclass(frozen=True)
class Tab:
    key: str
    label: Any
    url_name: str
    order: int
    perm: str = "projects.view_project"


TABS: list[Tab] = []
OVERVIEW_PANELS: list[tuple[int, Any]] = []
LIST_DECORATORS: list[Any] = []
CREATE_FIELDS: dict[str, Any] = {}
DEMO_SEEDERS: list[tuple[int, Any]] = []
DEMO_PREPARERS: list[Any] = []


def tab(key, label, url_name, order, perm="projects.view_project"):
    if all(t.key != key for t in TABS):
        TABS.append(Tab(key, label, url_name, order, perm))
        TABS.sort(key=lambda t: t.order)


def overview_panel(order):
    return _ordered(OVERVIEW_PANELS, order)


def list_decorator(fn):
    if fn not in LIST_DECORATORS:
        LIST_DECORATORS.append(fn)
    return fn


def create_field(name, factory):
    CREATE_FIELDS[name] = factory


def demo_seeder(order):
    return _ordered(DEMO_SEEDERS, order)


def demo_preparer(fn):
    """fn() runs before the demo projects are created (loading process templates, say)."""
    if fn not in DEMO_PREPARERS:
        DEMO_PREPARERS.append(fn)
    return fn


NAV_ITEMS: list[tuple[int, Any]] = []
LANDING_PAGES: list[tuple[int, Any]] = []


def landing_page(order):
    """fn(user) -> a URL or None: where `home` sends this person (the first answer by order wins; nobody
    answering means *Mine prosjekter*)."""
    return _ordered(LANDING_PAGES, order)


def nav_item(order):
    """fn(request) -> {"label", "url", "count", "active"} or None: an entry in the top bar."""
    return _ordered(NAV_ITEMS, order)


def _ordered(registry, order):
    """A decorator that adds fn to `registry` once, kept sorted by `order`."""

    def register(fn):
        if fn not in [f for _, f in registry]:
            registry.append((order, fn))
            registry.sort(key=lambda p: p[0])
        return fn

    return register
