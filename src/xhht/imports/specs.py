"""The file layout of each kind of import: columns (for templates and header matching) and allowed values."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from xhht.core import cells

from .models import ImportKind
from .others import ASSOCIATION_COLUMNS, CLAN_COLUMNS, KIND_MAP, ORG_COLUMNS  # noqa: F401
from .people import ALLOWED, PEOPLE_COLUMNS


def _household_first(cols):
    order = ["household", "relation", "full_name"]
    head = [c for k in order for c in cols if c.key == k]
    return head + [c for c in cols if c.key not in order]


def columns_for(kind: str):
    if kind == ImportKind.PEOPLE:
        return PEOPLE_COLUMNS
    if kind == ImportKind.HOUSEHOLDS:
        return _household_first(PEOPLE_COLUMNS)
    if kind == ImportKind.CLANS:
        return CLAN_COLUMNS
    if kind == ImportKind.ORGANISATIONS:
        return ORG_COLUMNS
    if kind == ImportKind.ASSOCIATION:
        return ASSOCIATION_COLUMNS
    raise ValueError(kind)


def allowed_values(kind: str) -> dict[str, str]:
    from xhht.registry.models import OrgKind, OrgLevel, StaffCategory

    from .people import _labels

    out = dict(ALLOWED)
    out.update(
        {
            "kind": _labels(OrgKind),
            "level": _labels(OrgLevel),
            "category": _labels(StaffCategory),
            "is_officer": "Có, Không",
        }
    )
    return out


def template_xlsx(kind: str) -> bytes:
    """A template workbook: the header row, one example row, and a sheet of instructions and allowed values.
    Cells are written through ``xhht.core.cells`` (text never becomes a formula)."""
    cols = columns_for(kind)
    buf = io.BytesIO()
    wb = cells.xlsx_workbook(buf, {"in_memory": True})
    head = wb.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
    )
    req = wb.add_format(
        {"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True, "valign": "top"}
    )
    textfmt = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet(_("Dữ liệu"))
    for i, c in enumerate(cols):
        cells.write_cell(ws, 0, i, c.header, req if c.required else head)
        ws.set_column(i, i, max(14, len(c.header) + 4), textfmt)  # text columns: Excel keeps leading zeros
        cells.write_cell(ws, 1, i, c.example or "")
    ws.freeze_panes(1, 0)
    info = wb.add_worksheet(_("Hướng dẫn"))
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 12)
    info.set_column(2, 3, 70)
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    cells.write_row(info, 0, 0, [_("Cột"), _("Bắt buộc"), _("Hướng dẫn"), _("Giá trị được phép")], head)
    allowed = allowed_values(kind)
    for r, c in enumerate(cols, start=1):
        cells.write_row(
            info,
            r,
            0,
            [c.header, _("Có") if c.required else "", str(c.help or ""), allowed.get(c.key, "")],
            wrap,
        )
    notes = [
        _("Dòng 1 là dòng tiêu đề; dữ liệu bắt đầu từ dòng 2 (xoá dòng ví dụ trước khi nhập)."),
        _("Ngày ghi dd/mm/yyyy (ví dụ 02/09/1985); nếu chỉ biết năm sinh, ghi năm (1985)."),
        _("Số CCCD, số điện thoại, mã hộ: định dạng cột là Văn bản để Excel không làm mất số 0 ở đầu."),
        _("Có thể lưu tệp dưới dạng .xlsx hoặc CSV UTF-8 (dấu phân cách ; hoặc ,)."),
        _(
            "Luôn kiểm tra trước: hệ thống chỉ nhập khi mọi dòng đều hợp lệ; nhập lại cùng tệp không tạo bản ghi trùng."
        ),
    ]
    base = len(cols) + 2
    for k, note in enumerate(notes):
        cells.write_cell(info, base + k, 0, note)
    wb.close()
    return buf.getvalue()
