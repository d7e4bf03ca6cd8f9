"""Registering a kind of work product makes its changes part of the project's history: its content, its tables'
rows and the further models it names."""

from dataclasses import replace
from types import SimpleNamespace

import pytest

from projects import extensions, history
from workproducts import registry


def _history_models():
    """The historical models the project's history reads, one per source."""
    stand_in = SimpleNamespace(pk=1)
    return {source.rows(stand_in).model for source in history.sources()}


def _missing(kind, sources):
    wanted = [kind.content_model, *(s.model for s in kind.sections), *kind.history_models]
    return [m.__name__ for m in wanted if m.history.model not in sources]


def test_every_kind_of_work_product_is_a_source_of_the_history():
    sources = _history_models()
    kinds = registry.kinds()
    assert len(kinds) == 13  # 7, and the 6 result documents of issue 28 (one model, ResultDocument)
    assert {key: _missing(kind, sources) for key, kind in kinds.items()} == {key: [] for key in kinds}


def test_register_makes_the_sources_and_a_kind_registered_around_it_misses_them(monkeypatch):
    monkeypatch.setattr(registry, "HISTORY_MODELS", set())
    mandate = replace(registry.kinds()["mandate"], pdf_label=None)
    with extensions.registered("history_source", alone=True), extensions.registered("workproduct_kind", alone=True):
        extensions.register("workproduct_kind", mandate)
        assert _missing(mandate, _history_models()) == ["Mandate", "Milestone"]
        registry.register(mandate)
        assert _missing(mandate, _history_models()) == []


@pytest.mark.parametrize("key", ["goals", "mandate", "risk_assessment", "mapping", "area_programme"])
def test_each_kind_has_its_page_and_its_history_in_one_description(key):
    kind = registry.kinds()[key]
    assert kind.content_model in registry.HISTORY_MODELS
    assert all(s.model in registry.HISTORY_MODELS for s in kind.sections)
