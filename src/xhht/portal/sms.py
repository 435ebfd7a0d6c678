"""Text messages to citizens: verification codes and notices about their account.

``settings.XHHT_SMS_BACKEND`` names a class with ``send(*, to: str, text: str)``. XHHT ships the
console (the demo prints messages where ``make demo`` runs) and an outbox kept in memory for tests,
like Django's own e-mail backends; a province plugs in its SMS gateway with a class of its own.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

outbox: list[dict] = []


class ConsoleSender:
    def send(self, *, to: str, text: str) -> None:
        print(f"[SMS → {to}] {text}", file=sys.stderr, flush=True)


class OutboxSender:
    def send(self, *, to: str, text: str) -> None:
        outbox.append({"to": to, "text": text})


def send(*, to: str, text: str) -> None:
    if not to:
        return
    try:
        import_string(settings.XHHT_SMS_BACKEND)().send(to=to, text=text)
    except Exception:  # a gateway failure must not undo the act it reports
        log.exception("SMS to %s failed", to[-3:])
