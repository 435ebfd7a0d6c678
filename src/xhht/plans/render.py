"""Fast HTML for the dashboard's big tables (a province ranks ~100 communes × ~10 indicators):
rendered in Python with one decimal separator lookup per request instead of a template loop with a
localized filter per cell (which cost most of a province dashboard's time)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DASH = "—"


class Fmt:
    """Numbers as ``floatformat`` shows them in the active language (no grouping)."""

    def __init__(self):
        self.sep = formats.get_format("DECIMAL_SEPARATOR")

    def dec2(self, v) -> str:
        if v is None:
            return DASH
        return f"{Decimal(v):.2f}".replace(".", self.sep)

    def cell(self, v) -> str:
        if v is None:
            return DASH
        if isinstance(v, bool):
            return escape(str(v))
        if isinstance(v, int):
            return str(v)
        if isinstance(v, (float, Decimal)):
            return str(v).replace(".", self.sep)  # as the template showed {{ v }}
        return escape(str(v))


def table_html(t: tuple[list, list[list]], fmt: Fmt | None = None) -> SafeString:
    fmt = fmt or Fmt()
    head = "".join(f"<th>{escape(str(h))}</th>" for h in t[0])
    body = "".join("<tr>" + "".join(f"<td>{fmt.cell(v)}</td>" for v in row) + "</tr>" for row in t[1])
    return mark_safe(  # noqa: S308 -- every piece above is escaped or a formatted number
        f'<div class="xh-table-wrap"><table class="striped"><thead><tr>{head}</tr></thead>\n'
        f"<tbody>{body}</tbody></table></div>"
    )


def ranking_rows_html(ranking: list[dict], year: int, fmt: Fmt | None = None) -> SafeString:
    fmt = fmt or Fmt()
    out = []
    for x in ranking:
        u = x["unit"]
        cells = "".join(f'<td class="num">{fmt.dec2(v.value)}</td>' for v in x["values"])
        out.append(
            f'<tr><td><a href="?don_vi={u.pk}&amp;nam={year}" class="xh-drill">{escape(u.name)}</a></td>{cells}</tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 -- names escaped, numbers formatted here
