"""The shared import reader: the files that once gave 500 or grew a worker to 1.9 GB are each refused with a
message that says why (issue 23), and good CSV and XLSX files read as rows."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from projects import imports
from projects.imports import ImportFailed, Limits, Problems, Source


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def read(content: bytes, name="runder.csv", limits=None):
    limits = limits or Limits()
    problems = Problems()
    source = Source(io.BytesIO(content), name, limits, problems)
    return source, list(source.rows()), problems


def refused(content, name="runder.csv", limits=None) -> str:
    with pytest.raises(ImportFailed) as exc:
        read(content, name, limits)
    return " ".join(p.message for p in exc.value.problems.shown)


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def repack(content: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook with some of its parts replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info, src.read(info.filename))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out.getvalue()


SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>dato</t></is></c><c r="B1" t="inlineStr"><is><t>opptatt</t></is></c>'
    b"</row>%s</sheetData></worksheet>"
)


def test_a_norwegian_csv_reads_as_rows():
    source, rows, problems = read("dato;opptatt\r\n03.02.2027;3,5\r\n".encode("utf-8-sig"))
    assert source.total == 1 and not problems
    assert rows == [(1, ["dato", "opptatt"]), (2, ["03.02.2027", "3,5"])]


def test_an_xlsx_reads_as_rows():
    source, rows, problems = read(workbook([["dato", "opptatt"], [date(2027, 2, 3), 3]]), "r.xlsx")
    assert source.total == 1 and not problems
    assert rows[1][1][:2] == [openpyxl.utils.datetime.from_excel(46421), 3]


def test_18_mb_with_850_000_rows_is_refused_before_a_row_is_read():
    content = b"dato;opptatt\n" + b"03.02.2027;3;4;5;6;7\n" * 850_000
    assert 17 * imports.MB < len(content) < 20 * imports.MB
    message = refused(content)
    assert "850,001 lines" in message and "100,000 rows" in message


def test_a_file_over_the_size_limit_is_refused():
    assert "larger than 20 MB" in refused(b"x" * (20 * imports.MB + 1))


def test_a_csv_cell_over_128_kb_is_a_problem_of_its_row():
    content = b"dato;opptatt\n03.02.2027;" + b"9" * (129 * 1024) + b"\n04.02.2027;2\n"
    _source, rows, problems = read(content)
    assert [(p.row, p.column) for p in problems.shown] == [(2, "–")]
    assert "a cell is longer than 128 KB" in problems.shown[0].message
    assert rows[-1] == (3, ["04.02.2027", "2"])  # the rows after it are read


def test_a_csv_line_over_the_line_limit_stops_the_file():
    content = b"dato;opptatt\n03.02.2027;" + b"9" * (300 * 1024) + b"\n"
    assert "Line 2 is longer than 256 KB" in refused(content)


def test_a_cell_over_the_cell_limit_is_a_problem_of_its_cell():
    _source, rows, problems = read(b"dato;opptatt\n03.02.2027;" + b"9" * 1001 + b"\n")
    assert [(p.row, p.column) for p in problems.shown] == [(2, "B")]
    assert "1,001 characters; at most 1,000" in problems.shown[0].message
    assert rows[1] == (2, ["03.02.2027", ""])


def test_a_quote_never_closed_over_csvs_own_cell_limit_is_a_problem():
    content = b'dato;opptatt\n03.02.2027;"' + b"9\n" * 70_000
    _source, _rows, problems = read(content)
    assert problems.shown[0].row == 2 and "not closed" in problems.shown[0].message


def test_a_utf16_file_is_refused():
    assert "UTF-16" in refused("dato;opptatt\n".encode("utf-16"))


def test_nan_and_infinity_are_not_numbers():
    for text in ("NaN", "nan", "sNaN", "Infinity", "-inf", "1e400", "1E+16"):
        with pytest.raises(ValueError, match="is not a number"):
            imports.parse_decimal(text)
    with pytest.raises(ValueError):
        imports.parse_decimal(float("nan"))
    assert imports.parse_decimal("51,5") == imports.parse_decimal("51.5") == Decimal("51.5")
    assert imports.parse_decimal("1 234,5") == Decimal("1234.5")
    assert imports.parse_decimal("\u22122,5") == Decimal("-2.5")
    with pytest.raises(ValueError, match="not a number"):
        imports.parse_count("NaN")


def test_a_nan_number_cell_in_an_xlsx_is_a_problem_of_its_row():
    content = repack(
        workbook([["dato", "opptatt"]]),
        {"xl/worksheets/sheet1.xml": SHEET % b'<row r="2"><c r="B2"><v>NaN</v></c></row>'},
    )
    assert "Row 2 cannot be read" in refused(content, "r.xlsx")


def test_dates_follow_the_date_rule():
    assert imports.parse_date("02.03.2027") == date(2027, 3, 2)
    for text in ("31.12.9999", "01.01.0001", "1999-12-31"):
        with pytest.raises(ValueError, match="is not between 01.01.2000 and 31.12.2100"):
            imports.parse_date(text)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml"]
)
def test_a_dtd_or_entities_anywhere_in_an_xlsx_are_refused(part):
    content = workbook([["dato", "opptatt"], ["03.02.2027", 3]])
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        original = z.read(part) if part in z.namelist() else b'<sst xmlns="x"/>'
    body = original.split(b"?>", 1)[-1]
    message = refused(repack(content, {part: BILLION_LAUGHS + body.replace(b"dato", b"&lol3;")}), "r.xlsx")
    assert "document type declaration (DTD) or entities" in message


def test_an_external_entity_is_refused_without_being_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    dtd = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'.encode()
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t></is></c></row>'
    content = repack(workbook([["dato"]]), {"xl/worksheets/sheet1.xml": dtd + (SHEET % row).split(b"?>", 1)[1]})
    assert "(DTD)" in refused(content, "r.xlsx")


def _huge_cell_xlsx(characters: int, shared: bool) -> bytes:
    """A workbook whose one cell holds `characters` letters, written in blocks: a few hundred KB packed."""
    base = workbook([["dato", "opptatt"]])
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst,
    ):
        for info in src.infolist():
            if info.filename not in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"):
                dst.writestr(info, src.read(info.filename))
        head, tail = (SHEET % b"\x00").split(b"\x00")
        sst = (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        )
        with dst.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(head)
            sheet.write(
                b'<row r="2"><c r="B2" t="s"><v>0</v></c></row>'
                if shared
                else b'<row r="2"><c r="B2" t="inlineStr"><is><t>'
            )
            if not shared:
                _write_letters(sheet, characters)
                sheet.write(b"</t></is></c></row>")
            sheet.write(tail)
        if shared:
            with dst.open("xl/sharedStrings.xml", "w") as strings:
                strings.write(sst)
                _write_letters(strings, characters)
                strings.write(b"</t></si></sst>")
    return out.getvalue()


def _write_letters(stream, n):
    block = b"A" * imports.MB
    while n > 0:
        stream.write(block[: min(n, len(block))])
        n -= len(block)


def test_a_300_kb_xlsx_that_unpacks_to_300_mb_is_refused_from_its_directory():
    content = _huge_cell_xlsx(300 * imports.MB, shared=False)
    assert len(content) < 400 * 1024
    assert "unpacks to more than 200 MB" in refused(content, "r.xlsx")


@pytest.mark.parametrize("shared", [False, True])
def test_a_huge_cell_under_the_unpacked_limit_is_refused_by_its_reference(shared):
    content = _huge_cell_xlsx(190 * imports.MB, shared=shared)
    assert len(content) < 300 * 1024
    assert "The cell B2 holds more than 1,000 characters." in refused(content, "r.xlsx")


def test_an_xlsx_with_too_many_rows_is_refused_before_openpyxl_reads_it():
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(2, 13))
    content = repack(workbook([["dato"]]), {"xl/worksheets/sheet1.xml": SHEET % rows})
    assert "more than 10 rows" in refused(content, "r.xlsx", Limits(rows=10))


def test_an_xlsx_that_skips_to_row_a_million_is_refused_while_read():
    rows = b'<row r="1000000"><c r="A1000000"><v>1</v></c></row>'
    content = repack(workbook([["dato"]]), {"xl/worksheets/sheet1.xml": SHEET % rows})
    assert "more than 100,000 rows" in refused(content, "r.xlsx")


def test_only_the_columns_read_are_returned_whatever_the_dimension_says():
    content = repack(
        workbook([["dato"]]),
        {"xl/worksheets/sheet1.xml": (SHEET % b"").replace(b"<sheetData>", b'<dimension ref="A1:XFD2"/><sheetData>')},
    )
    _source, rows, _problems = read(content, "r.xlsx")
    assert len(rows[0][1]) == Limits().columns


def test_not_a_workbook_is_refused():
    assert "cannot be read as an XLSX" in refused(b"PK\x03\x04 not really", "r.xlsx")
    assert "Choose a CSV or XLSX file" in refused(b"dato", "r.xls")


def test_the_columns_are_named_by_letter_and_header():
    problems = Problems()
    columns = imports.Columns(headers={"date": "dato", "zone": "sone"}, aliases={"rom": "zone"}, required=("date",))
    assert not columns.read(["Rom", "sone", "farge"], problems)
    assert [(p.row, p.column) for p in problems.shown] == [(1, "B"), (1, "C"), (1, "–")]
    assert columns.name("zone") == "A (sone)" and columns.cell(["Vest"], "zone") == "Vest"


def test_problems_keep_the_first_and_count_all():
    problems = Problems(keep=2)
    for n in range(5):
        problems.add(n, "A", "wrong")
    assert len(problems.shown) == 2 and problems.count == 5 and problems.more == 3
