"""xhht.core.cells: text that would start a formula is neutralised, numbers stay numbers, and the
XLSX writers never produce a formula cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils.translation import gettext_lazy
from openpyxl.utils.escape import unescape
from python_calamine import CalamineWorkbook

from xhht.core import cells

HOSTILE = ['=HYPERLINK("http://evil.example/","x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_beginning_with_a_trigger_gets_an_apostrophe(value):
    assert cells.safe_cell(value) == "'" + value
    assert cells.unescape_cell(cells.safe_cell(value)) == value


@pytest.mark.parametrize(
    "value",
    ["Thôn 1", "", "x=1", " =1", "'quoted", "Nguyễn Văn A", "0987654321", "051190000123", "1-2"],
)
def test_ordinary_text_is_unchanged(value):
    assert cells.safe_cell(value) == value
    assert cells.unescape_cell(value) == value  # only an apostrophe before a trigger is ours


@pytest.mark.parametrize("value", [-2, -2.5, Decimal("-8.00"), 0, 17, None, True, False, dt.date(2025, 7, 1)])
def test_numbers_dates_and_empty_pass_as_they_are(value):
    assert cells.safe_cell(value) is value


def test_objects_become_their_text_and_are_checked():
    assert cells.safe_cell(gettext_lazy("=1+1")) == "'=1+1"

    class Label:
        def __str__(self):
            return "@cmd"

    assert cells.safe_cell(Label()) == "'@cmd"
    assert cells.safe_row(["=1", 2, None, "a"]) == ["'=1", 2, None, "a"]


def test_csv_writer_neutralises_text_and_keeps_numbers():
    buf = io.StringIO()
    w = cells.csv_writer(buf)
    w.writerow(["=1+1", -3, Decimal("-2.50"), "-2+3"])
    w.writerows([["@SUM(A1)", "\tx"], ["ok", None]])
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert rows == [["'=1+1", "-3", "-2.50", "'-2+3"], ["'@SUM(A1)", "'\tx"], ["ok", ""]]


def _formulas_in_xml(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def test_xlsx_workbook_never_turns_strings_into_formulas_urls_or_numbers():
    buf = io.BytesIO()
    # the caller asks for the dangerous conversions: the factory refuses them
    wb = cells.xlsx_workbook(buf, {"in_memory": True, "strings_to_formulas": True, "strings_to_urls": True})
    ws = wb.add_worksheet("t")
    ws.write(0, 0, "=1+1")  # even the generic write() keeps text as text
    ws.write(0, 1, "http://evil.example/")
    ws.write(0, 2, "0123")
    cells.write_row(ws, 1, 0, HOSTILE)
    cells.write_row(ws, 2, 0, [-2, -2.5, Decimal("-8.00"), 0, None, True, "0987654321"])
    wb.close()
    data = buf.getvalue()
    assert _formulas_in_xml(data) == []
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["t"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws["A1"].value == "=1+1" and ws["A1"].data_type == "s"  # written raw by write(): still text
    assert not ws["B1"].hyperlink and ws["C1"].value == "0123"
    # xlsxwriter stores a carriage return as _x000D_ (Excel decodes it; openpyxl leaves it escaped)
    assert [unescape(c.value) for c in ws[2][: len(HOSTILE)]] == ["'" + v for v in HOSTILE]
    row3 = [c.value for c in ws[3]]
    assert row3[:4] == [-2, -2.5, -8, 0] and row3[4] is None and row3[5] is True
    assert [ws.cell(3, n).data_type for n in (1, 2, 3)] == ["n", "n", "n"]
    assert row3[6] == "0987654321"
    # and python-calamine (what the importer reads with) sees the same values
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("t").to_python()
    assert calamine[1][: len(HOSTILE)] == ["'" + v for v in HOSTILE]
    assert calamine[2][:3] == [-2, -2.5, -8]


def test_openpyxl_append_writes_no_formula():
    wb = openpyxl.Workbook()
    ws = wb.active
    cells.openpyxl_append(ws, [*HOSTILE, -4, "plain"])
    buf = io.BytesIO()
    wb.save(buf)
    assert _formulas_in_xml(buf.getvalue()) == []
    row = [c for c in openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active[1]]
    # openpyxl writes a carriage return raw, and XML reads it back as a line feed: still neutralised
    assert [c.value for c in row] == ["'" + v.replace("\r", "\n") for v in HOSTILE] + [-4, "plain"]
    assert all(c.data_type != "f" for c in row) and row[-2].data_type == "n"
