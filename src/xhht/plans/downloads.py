"""CSV and XLSX downloads of a table (every chart's data can be downloaded); the reports' XLSX too.

Cells go through ``xhht.core.cells``: text that would start a formula is neutralised, numbers stay
numbers."""

from __future__ import annotations

import io

from django.http import HttpResponse

from xhht.core import cells


def csv_response(filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    w = cells.csv_writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return resp


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    buf = io.BytesIO()
    wb = cells.xlsx_workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True})
    for name, (headers, rows) in sheets.items():
        ws = wb.add_worksheet(name[:31])
        cells.write_row(ws, 0, 0, headers, bold)
        for i, r in enumerate(rows, start=1):
            cells.write_row(ws, i, 0, r)
        ws.set_column(0, 0, 28)
        ws.set_column(1, max(len(headers) - 1, 1), 14)
        ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


def xlsx_response(filename: str, sheets: dict[str, tuple[list[str], list[list]]]) -> HttpResponse:
    resp = HttpResponse(
        xlsx_bytes(sheets), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return resp
