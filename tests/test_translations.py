"""All three .po files are complete: every message has a translation and none is fuzzy."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_po_file_is_complete(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_norwegian_keeps_every_placeholder(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    import re

    pattern = re.compile(r"%\(\w+\)s")
    for entry in po.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(pattern.findall(text)) == sorted(pattern.findall(entry.msgid)), entry.msgid
