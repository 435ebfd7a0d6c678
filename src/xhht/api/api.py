"""The JSON API (django-ninja, OpenAPI at /api/docs). Each app contributes a router in its ``api.py``.

Authentication is the session (the pages' login) or nothing for public endpoints; every endpoint
goes through ``xhht.accounts.access`` like the pages do.
"""

import logging
from importlib import import_module

import pydantic
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import django_auth

from xhht.core.params import BadParameter

logger = logging.getLogger("xhht.api")

api = NinjaAPI(title="XHHT API", version="1", urls_namespace="api", auth=django_auth)


# Errors as ``{"detail": <Vietnamese message>, "code": <stable code>}``: the client's mistakes are
# 4xx, never 500.


def _error(request, status: int, detail: str, code: str, **extra):
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, _("Không tìm thấy, hoặc bạn không có quyền xem."), "not_found")


@api.exception_handler(PermissionDenied)
def _denied(request, exc):
    # The same answer as a row outside the caller's scope (``access.get_or_404``): nothing leaks.
    return _not_found(request, exc)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in exc.errors
    ]
    names = ", ".join(dict.fromkeys(str(e["loc"][-1]) for e in errors if e["loc"])) or "?"
    return _error(
        request,
        400,
        _("Tham số không hợp lệ: %(names)s.") % {"names": names},
        "invalid_parameters",
        errors=errors,
    )


@api.exception_handler(BadParameter)
def _bad_parameter(request, exc):
    extra = {"param": exc.param} if exc.param else {}
    return _error(request, 400, exc.message, exc.code, **extra)


@api.exception_handler(DjangoValidationError)
def _django_invalid(request, exc):
    return _error(request, 400, " ".join(exc.messages), "invalid")


@api.exception_handler(ValueError)
@api.exception_handler(OverflowError)
def _unreadable(request, exc):
    if isinstance(exc, pydantic.ValidationError):
        raise exc  # a response that does not match its schema is the server's fault
    # A value that reached a conversion the endpoint did not check (logged: it should be checked).
    logger.warning("API %s: %r", request.path, exc, exc_info=exc)
    return _error(request, 400, _("Máy chủ không đọc được giá trị đã gửi."), "invalid_value")


ROUTER_APPS = [
    "geo",
    "registry",
    "imports",
    "criteria",
    "recognition",
    "plans",
    "analytics",
    "reports",
    "portal",
]

for _app in ROUTER_APPS:
    try:
        _mod = import_module(f"xhht.{_app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"xhht.{_app}.api":
            raise
        continue
    api.add_router(f"/{_app}/", _mod.router)
