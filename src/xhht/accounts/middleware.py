from __future__ import annotations

from django.conf import settings

from . import audit


def client_ip(request) -> str | None:
    """The client address: REMOTE_ADDR, or behind ``XHHT_TRUSTED_PROXY_COUNT`` reverse proxies the
    address the outermost trusted proxy saw (that many entries from the right of X-Forwarded-For;
    anything further left was written by the client and is not trusted)."""
    hops = getattr(settings, "XHHT_TRUSTED_PROXY_COUNT", 0)
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops][:45] or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Puts the request's user and address where the audit trail and services can find them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        with audit.actor_context(
            user if user is not None and user.is_authenticated else None,
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            source="web",
        ):
            return self.get_response(request)
