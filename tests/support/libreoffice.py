"""A spreadsheet as LibreOffice reads it: the tests that prove a download opens in an office suite."""

import csv
import io
import shutil
import subprocess

import pytest


def rows_as_libreoffice_reads(content: bytes, tmp_path, name: str) -> list[list[str]]:
    """Save `content` as `name` (an .xlsx), let LibreOffice convert it to CSV, and give that CSV's rows; the test
    is skipped where LibreOffice is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed (make test installs it)")
    source = tmp_path / name
    source.write_bytes(content)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):59,34,76,1", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = (tmp_path / source.with_suffix(".csv").name).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(converted), delimiter=";"))
