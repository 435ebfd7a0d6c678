"""Export of a filtered list of people to CSV or XLSX, streamed, with only what the user may see.

CCCD and phone are masked on rows where the user does not hold ``REGISTRY_VIEW_PII``. Rows are read
with ``.iterator()`` in chunks; XLSX is written by xlsxwriter in ``constant_memory`` mode to a
temporary file that is then streamed, so memory stays flat however long the list. Cells go through
``xhht.core.cells``: a name that would start a formula (``=HYPERLINK(…)``) is written as text.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile

from django.http import FileResponse, StreamingHttpResponse

from xhht.accounts.access import Access
from xhht.core import cells

from .selectors import PiiMask, people_for_export

COLUMNS = [
    ("id", "Mã hồ sơ"),
    ("full_name", "Họ và tên"),
    ("birth_date", "Ngày sinh"),
    ("birth_year", "Năm sinh"),
    ("sex", "Giới tính"),
    ("ethnicity", "Dân tộc"),
    ("cccd", "Số CCCD"),
    ("phone", "Số điện thoại"),
    ("village", "Thôn, tổ dân phố"),
    ("occupation", "Nhóm nghề nghiệp"),
    ("education_level", "Trình độ học vấn"),
    ("technical_qualification", "Trình độ chuyên môn kỹ thuật"),
    ("it_competency", "Năng lực ứng dụng CNTT"),
    ("digital_skill", "Kỹ năng số"),
    ("foreign_language", "Ngoại ngữ"),
    ("life_skills", "Kỹ năng sống"),
    ("literacy", "Biết chữ"),
    ("status", "Tình trạng"),
]


def _row(p, mask: PiiMask) -> list:
    return [
        p.pk,
        p.full_name,
        p.birth_date.strftime("%d/%m/%Y") if p.birth_date else "",
        p.birth_year or "",
        p.get_sex_display() if p.sex else "",
        p.ethnicity,
        mask.cccd(p),
        mask.phone(p),
        p.village.name,
        p.get_occupation_display(),
        p.get_education_level_display() if p.education_level else "",
        p.get_technical_qualification_display(),
        "Có" if p.it_competency else "Không",
        p.get_digital_skill_display(),
        p.get_foreign_language_display(),
        "Có" if p.life_skills else "Không",
        p.get_literacy_display() if p.literacy else "",
        p.get_status_display(),
    ]


def export_rows(access: Access, *, q: str = "", filters: dict | None = None):
    mask = PiiMask(access)
    for p in people_for_export(access, q=q, filters=filters).iterator(chunk_size=2000):
        yield _row(p, mask)


def _filename(ext: str) -> str:
    return f"cong-dan-{dt.date.today():%Y%m%d}.{ext}"


class _Echo:
    def write(self, value):
        return value


def csv_response(access: Access, *, q: str = "", filters: dict | None = None) -> StreamingHttpResponse:
    writer = cells.csv_writer(_Echo())

    def stream():
        yield "\ufeff"  # BOM: Excel opens UTF-8 Vietnamese correctly
        yield writer.writerow([label for _, label in COLUMNS])
        buf = []
        for row in export_rows(access, q=q, filters=filters):
            buf.append(writer.writerow(row))
            if len(buf) >= 500:
                yield "".join(buf)
                buf = []
        if buf:
            yield "".join(buf)

    resp = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return resp


def write_xlsx(access: Access, fileobj, *, q: str = "", filters: dict | None = None) -> int:
    wb = cells.xlsx_workbook(fileobj, {"constant_memory": True, "in_memory": False})
    ws = wb.add_worksheet("Công dân")
    bold = wb.add_format({"bold": True})
    cells.write_row(ws, 0, 0, [label for _, label in COLUMNS], bold)
    ws.set_column(1, 1, 28)
    ws.set_column(6, 8, 16)
    n = 0
    for n, row in enumerate(export_rows(access, q=q, filters=filters), start=1):
        cells.write_row(ws, n, 0, row)  # CCCD and phone are text: no lost leading zero
    wb.close()
    return n


def xlsx_response(access: Access, *, q: str = "", filters: dict | None = None) -> FileResponse:
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(access, tmp, q=q, filters=filters)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def xlsx_bytes(access: Access, **kw) -> bytes:
    buf = io.BytesIO()
    tmp = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(access, tmp, **kw)
    tmp.seek(0)
    buf.write(tmp.read())
    return buf.getvalue()
