from __future__ import annotations

from . import audit


def client_ip(request) -> str | None:
    """The client address. Behind a proxy set one that overwrites REMOTE_ADDR; X-Forwarded-For is not trusted."""
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
