"""`make load`'s plan names pages that exist: every URL name it reverses resolves (a renamed view would
otherwise break the load test only when somebody runs it)."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from benchmarks.cluster_load import PLAN


def test_every_page_of_the_load_plan_exists():
    names = sorted(set(re.findall(r'reverse\("([a-z_:]+)"(, args=\[)?', PLAN)))
    assert len(names) >= 8
    for name, with_args in names:
        try:
            reverse(name, args=[1] if with_args else [])
        except NoReverseMatch:
            pytest.fail(f"the load plan names {name!r}, which is not a URL name")
