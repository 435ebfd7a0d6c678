"""CSV and XLSX downloads of a table (every chart's data can be downloaded)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse


def csv_response(filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return resp


def xlsx_bytes(sheets: dict[str, tuple[list[str], list[list]]]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True})
    for name, (headers, rows) in sheets.items():
        ws = wb.add_worksheet(name[:31])
        ws.write_row(0, 0, headers, bold)
        for i, r in enumerate(rows, start=1):
            ws.write_row(i, 0, ["" if v is None else v for v in r])
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
