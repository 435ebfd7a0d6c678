"""Reading what a client sends (query strings, form fields, paging cursors) without a server error.

A value the server cannot read raises :class:`BadParameter`, a ``BadRequest``: pages answer 400 with
its Vietnamese message (``xhht.web.views.bad_request``, the project's ``handler400``), the API 400
with ``{"detail": …, "code": …}`` (``xhht.api.api``). Never a 500, never a database error:

- integers are ASCII digits (``"²"`` and ``"١٢"`` pass ``str.isdigit()``, not this) within the
  database's signed 64-bit range;
- text holds no NUL character (PostgreSQL refuses it in text; ``NulByteMiddleware`` answers 400 for
  one anywhere in the path, query or form before a view runs).
"""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
_INT = re.compile(r"[+-]?[0-9]{1,19}")


class BadParameter(BadRequest):
    """A parameter the client sent cannot be read. ``message`` is shown to the user (Vietnamese,
    translated); ``code`` is stable for API clients; ``param`` names the parameter."""

    def __init__(self, message: str, *, param: str = "", code: str = "invalid_parameter"):
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code


def parse_int(
    value, *, param: str = "", min_value: int = INT64_MIN, max_value: int = INT64_MAX, label: str = ""
) -> int:
    """``value`` (text or int) as an int in ``[min_value, max_value]``, else :class:`BadParameter`."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        n = value
    elif isinstance(value, str) and _INT.fullmatch(value.strip()):
        n = int(value.strip())
    else:
        raise BadParameter(
            _("«%(name)s» phải là một số nguyên.") % {"name": label or param or _("tham số")},
            param=param,
            code="not_an_integer",
        )
    if not min_value <= n <= max_value:
        raise BadParameter(
            _("«%(name)s» phải nằm trong khoảng %(min)s–%(max)s.")
            % {"name": label or param or _("tham số"), "min": min_value, "max": max_value},
            param=param,
            code="out_of_range",
        )
    return n


def int_param(
    request_or_data,
    name: str,
    default: int | None = None,
    *,
    min_value: int = INT64_MIN,
    max_value: int = INT64_MAX,
    label: str = "",
) -> int | None:
    """The integer in the query string (or a ``QueryDict``/dict given instead of a request) under
    ``name``: ``default`` when absent or blank, :class:`BadParameter` (400) when not an integer in
    range. ``?don_vi=abc``, ``?nam=99999999999999999999999`` and ``?nam=²`` are the client's error."""
    data = getattr(request_or_data, "GET", request_or_data)
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    return parse_int(raw, param=name, min_value=min_value, max_value=max_value, label=label)


def int_or_none(value, *, min_value: int = INT64_MIN, max_value: int = INT64_MAX) -> int | None:
    """``value`` as an int in range, or None (for filters where an unreadable value simply matches nothing)."""
    try:
        return parse_int(value, min_value=min_value, max_value=max_value)
    except BadParameter:
        return None


def text_param(request_or_data, name: str, default: str = "", *, max_length: int = 1000) -> str:
    """Stripped text under ``name``, without NUL characters, at most ``max_length`` characters."""
    data = getattr(request_or_data, "GET", request_or_data)
    raw = data.get(name)
    if raw is None:
        return default
    return str(raw).replace("\x00", "").strip()[:max_length]


def has_nul(value) -> bool:
    """Is there a NUL character anywhere in ``value`` (text, bytes, or nested lists/dicts of them)?"""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, bytes):
        return b"\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False
