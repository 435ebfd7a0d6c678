"""Numbers as people type them in Vietnam: "." groups thousands and "," marks decimals
("1.234" = 1234, "1.234,5" = 1234.5); spaces and non-breaking spaces also group. A dot followed by
something other than groups of three digits is read as a decimal point ("12.5")."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_vn_number(text: str) -> Decimal | None:
    """``None`` for an empty field; raises ``ValueError`` when the text is not a number."""
    s = (text or "").strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not s:
        return None
    sign = ""
    if s[0] in "+-":
        sign, s = ("-" if s[0] == "-" else ""), s[1:]
    if "," in s:
        whole, _, frac = s.rpartition(",")
        if "," in whole or not frac.isdigit():
            raise ValueError(text)
        if "." in whole and not _GROUPED.match(whole):
            raise ValueError(text)
        s = whole.replace(".", "") + "." + frac
    elif "." in s and _GROUPED.match(s):
        s = s.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        raise ValueError(text)
    try:
        return Decimal(sign + s)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
