"""What collectstatic ships: no source maps, and nothing that names one (the manifest storage would look for it)."""

from pathlib import Path

from django.conf import settings


def _static_files():
    for folder in settings.STATICFILES_DIRS:
        yield from (p for p in Path(folder).rglob("*") if p.is_file())


def test_no_source_maps_are_collected():
    files = list(_static_files())
    assert any(p.name == "bootstrap.min.css" for p in files)
    assert [p.name for p in files if p.suffix == ".map"] == []
    assert [p.name for p in files if p.suffix in (".css", ".js") and "sourceMappingURL" in p.read_text()] == []
