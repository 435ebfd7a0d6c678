"""Throttles for what strangers can repeat: failed logins per address, sign-ups, verification codes.

Built on the `limits` library (moving windows; storage ``XHHT_THROTTLE_STORAGE``: ``memory://`` for
one process, ``redis://…`` shared by several). Rules are named in ``settings.XHHT_THROTTLES``.
Per-username login lockout is django-axes' (settings.AXES_*); this module adds what axes cannot:
the limit per source address across usernames.
"""

from __future__ import annotations

import math
import time
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from limits import parse, storage, strategies


@lru_cache(maxsize=1)
def _limiter(uri: str):
    return strategies.MovingWindowRateLimiter(storage.storage_from_string(uri))


def _parts(rule: str):
    return _limiter(settings.XHHT_THROTTLE_STORAGE), parse(settings.XHHT_THROTTLES[rule])


def hit(rule: str, key: str) -> bool:
    """Count one event for ``key``; False when the limit was already reached (the event is refused)."""
    limiter, item = _parts(rule)
    return limiter.hit(item, rule, str(key))


def allowed(rule: str, key: str) -> bool:
    """Would one more event for ``key`` be within the limit? Counts nothing."""
    limiter, item = _parts(rule)
    return limiter.test(item, rule, str(key))


def retry_after(rule: str, key: str) -> int:
    """Seconds until one more event for ``key`` is allowed."""
    limiter, item = _parts(rule)
    reset, _remaining = limiter.get_window_stats(item, rule, str(key))
    return max(1, math.ceil(reset - time.time()))


def reset_all() -> None:
    """Forget every counter (tests; an administrator after an incident)."""
    _limiter(settings.XHHT_THROTTLE_STORAGE).storage.reset()


def refused(request, rule: str, key: str) -> HttpResponse:
    """429 in Vietnamese, with Retry-After."""
    wait = retry_after(rule, key)
    body = render_to_string(
        "accounts/throttled.html", {"minutes": max(1, math.ceil(wait / 60))}, request=request
    )
    resp = HttpResponse(body, status=429)
    resp["Retry-After"] = str(wait)
    return resp
