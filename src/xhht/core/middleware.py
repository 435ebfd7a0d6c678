"""Requests the application cannot read, refused before any view runs."""

from __future__ import annotations

import re

from django.http import JsonResponse
from django.utils.translation import gettext as _

from .params import BadParameter

# A JSON string escape for NUL: \u0000 preceded by an even number of backslashes (\\u0000 is the
# text "\u0000", not a NUL).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def nul_byte_error() -> BadParameter:
    return BadParameter(
        _("Yêu cầu chứa ký tự NUL (mã 0), không hợp lệ trong địa chỉ hay dữ liệu gửi lên."), code="nul_byte"
    )


def request_has_nul(request) -> bool:
    """A NUL character in the path, the query string, a form field (name or value) or a JSON body.

    PostgreSQL refuses NUL in text ("A string literal cannot contain NUL characters"), SQLite cuts
    text at it in some functions: no value with one is meaningful to XHHT."""
    if "\x00" in request.path_info:
        return True
    if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
        return True
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    content_type = request.content_type or ""
    if content_type == "multipart/form-data" and request.path_info.startswith("/api/"):
        # Parsing a multipart body consumes the stream: an API operation expecting JSON would then
        # fail reading it (500). The API takes no form fields; its JSON is checked below.
        return False
    if content_type in _FORM_TYPES:
        post = request.POST
        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in post.lists()):
            return True
        return any("\x00" in (f.name or "") for f in request.FILES.values())
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        return b"\x00" in body or _JSON_NUL.search(body) is not None
    return False


class NulByteMiddleware:
    """400, with a Vietnamese message, for a NUL character anywhere in what the client sent.

    Placed after ``AuthenticationMiddleware`` (the page shows the user's menu); nothing before it
    reads the database with the client's values."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request_has_nul(request):
            exc = nul_byte_error()
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": exc.message, "code": exc.code}, status=400)
            from xhht.web.views import bad_request

            return bad_request(request, exc)
        return self.get_response(request)
