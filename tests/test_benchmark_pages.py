"""`make bench` times every GET page of the URL conf (issue 17): each URL name is timed by benchmarks.pages, or
skipped there with its reason, so that a new page without a measurement fails here."""

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver

from benchmarks import pages

SOURCE = Path(pages.__file__)


def _url_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            yield from _url_names(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def _timed_names():
    """The URL names of the `page(...)` calls and the feeds' entries in benchmarks/pages.py."""
    names = set()
    for node in ast.walk(ast.parse(SOURCE.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "page" and node.args:
            names.add(node.args[0].value)
        first = node.elts[0] if isinstance(node, ast.Tuple) and len(node.elts) == 5 else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return names


def test_every_url_name_is_timed_or_skipped_with_a_reason():
    from django.urls import get_resolver

    from benchmarks import urls

    every = set(_url_names(get_resolver(urls)))
    timed = _timed_names() | pages.TIMED_ABOVE
    assert every - timed - set(pages.SKIPPED) == set()
    assert all(reason.strip() for reason in pages.SKIPPED.values())
    # Nothing both skipped and timed, and no name that is not in the URL conf (a renamed page).
    assert (timed - {"accessibility", "privacy"}) & set(pages.SKIPPED) == set()
    assert (timed | set(pages.SKIPPED)) - every == set()
