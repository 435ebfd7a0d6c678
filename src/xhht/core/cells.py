"""Spreadsheet cells that cannot run code: every CSV and XLSX the product writes goes through here.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK("http://evil.example/", …)``,
``=cmd|…``) — "CSV injection" (OWASP). Such text is written with a leading apostrophe, as OWASP
recommends, so it is shown as the text it is and never evaluated. Numbers stay numbers: only *text*
is neutralised, so a real negative figure written as a number is still a number.

- ``safe_cell`` / ``safe_row``: the rule, for any writer;
- ``csv_writer``: ``csv.writer`` whose rows pass through ``safe_row``;
- ``xlsx_workbook`` + ``write_cell`` / ``write_row``: an xlsxwriter workbook that never turns
  strings into formulas, URLs or numbers, and cells written by type (text with ``write_string``);
- ``openpyxl_append``: a row appended to an openpyxl sheet with no formula cell;
- ``unescape_cell``: the inverse, for files the product writes and reads back (criteria workbooks).
"""

from __future__ import annotations

import csv
import datetime as dt
import numbers
from collections.abc import Iterable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
_TRIGGER_SET = frozenset(FORMULA_TRIGGERS)

# xlsxwriter options that would turn a string into something else: all off, whatever the caller asks
_XLSX_SAFE = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def _is_plain(value) -> bool:
    """Values written as what they are: numbers (and booleans), dates, empty."""
    return value is None or isinstance(value, (numbers.Number, dt.date, dt.time))


def safe_cell(value):
    """``value`` for a spreadsheet cell: text beginning with a formula trigger gets a leading
    apostrophe; numbers, dates and None are returned unchanged; anything else becomes its text
    (a lazy translation, a choice label) and is checked as text."""
    if type(value) is str:  # the common case first: exports write millions of cells
        return QUOTE + value if value[:1] in _TRIGGER_SET else value
    if _is_plain(value):
        return value
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return QUOTE + text
    return text


def safe_row(row: Iterable) -> list:
    return [
        v if (type(v) is str and v[:1] not in _TRIGGER_SET) or type(v) is int else safe_cell(v) for v in row
    ]


def unescape_cell(value):
    """The inverse of ``safe_cell`` for text: the apostrophe it added (before a trigger) goes."""
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:2] and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


class _SafeCsvWriter:
    def __init__(self, writer):
        self._w = writer

    def writerow(self, row):
        return self._w.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self._w.writerow(safe_row(row))


def csv_writer(fileobj, **kwargs) -> _SafeCsvWriter:
    """``csv.writer(fileobj, **kwargs)`` whose ``writerow`` / ``writerows`` neutralise every cell."""
    return _SafeCsvWriter(csv.writer(fileobj, **kwargs))


def xlsx_workbook(target, options: dict | None = None):
    """An ``xlsxwriter.Workbook`` on ``target`` (path or file object) that never turns a string into a
    formula, a URL or a number, even through ``write()``."""
    import xlsxwriter

    return xlsxwriter.Workbook(target, {**(options or {}), **_XLSX_SAFE})


def write_cell(ws, row: int, col: int, value, fmt=None) -> None:
    """One cell by type: numbers as numbers, None as blank, everything else as neutralised text."""
    value = safe_cell(value)
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, numbers.Number):
        ws.write_number(row, col, value if isinstance(value, (int, float)) else float(value), fmt)
    else:
        ws.write_string(row, col, value if isinstance(value, str) else str(value), fmt)


def write_row(ws, row: int, col: int, values: Iterable, fmt=None) -> None:
    for c, value in enumerate(values, start=col):
        if type(value) is str:  # the common cases inline (``write_cell`` does the same, slower)
            ws.write_string(row, c, QUOTE + value if value[:1] in _TRIGGER_SET else value, fmt)
        elif type(value) is int:
            ws.write_number(row, c, value, fmt)
        else:
            write_cell(ws, row, c, value, fmt)


def openpyxl_append(ws, values: Iterable) -> None:
    """Append a row to an openpyxl worksheet: cells neutralised, and none of them a formula."""
    ws.append(safe_row(values))
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":  # openpyxl reads a string beginning with "=" as a formula
            cell.data_type = "s"
