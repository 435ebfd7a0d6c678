"""The audit trail: every change to data records who, when, from where, what, before and after.

Single-row saves and deletes of every XHHT model are recorded by signal handlers, so no service can
forget them. Bulk operations (imports, decisions over thousands of rows) bypass model signals by
design; the service that runs them calls ``record_bulk`` with a summary (file hash, counts, ids).

Who and from where come from a context variable set by ``RequestContextMiddleware`` for web
requests and by ``actor_context`` for commands and background tasks.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save


@dataclass(frozen=True)
class ActorContext:
    user: object | None = None
    ip: str | None = None
    user_agent: str = ""
    source: str = "system"


_current: contextvars.ContextVar[ActorContext] = contextvars.ContextVar("xhht_actor", default=ActorContext())  # noqa: B039 (frozen)

# Fields never copied into the trail.
SECRET_FIELDS = {"password", "code_hash"}
# Models not tracked: the trail itself, sessions, and high-churn technical tables.
UNTRACKED = {"accounts.auditevent", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
TRACKED_APP_PREFIX = "xhht."


def current() -> ActorContext:
    return _current.get()


@contextmanager
def actor_context(user=None, *, ip: str | None = None, user_agent: str = "", source: str = "cli"):
    token = _current.set(ActorContext(user=user, ip=ip, user_agent=user_agent[:300], source=source))
    try:
        yield
    finally:
        _current.reset(token)


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return "<binary>"
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model) -> dict:
    out = {}
    for f in instance._meta.concrete_fields:
        if f.name in SECRET_FIELDS:
            continue
        out[f.attname] = _jsonable(f.value_from_object(instance))
    return out


def unit_path_of(instance) -> str:
    """Where in the map a row belongs, so the trail can be browsed per unit."""
    custom = getattr(instance, "audit_unit_path", None)
    if callable(custom):
        custom = custom()
    if isinstance(custom, str):
        return custom
    for attr in ("path", "unit_path"):
        value = getattr(instance, attr, None)
        if isinstance(value, str) and value.startswith("VN/"):
            return value
    for fk in ("unit", "village", "commune"):
        try:
            f = instance._meta.get_field(fk)
        except Exception:
            continue
        if f.is_relation and getattr(instance, f.attname, None):
            related = getattr(instance, fk, None)
            return getattr(related, "path", "") or ""
    return ""


def _write(
    action: str,
    *,
    model: str = "",
    object_pk="",
    object_repr: str = "",
    unit_path: str = "",
    changes: dict | None = None,
    note: str = "",
    actor=None,
):
    from .models import AuditEvent

    ctx = current()
    user = actor if actor is not None else ctx.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=(str(getattr(user, "username", "")) if user else ctx.source)[:200],
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        source=ctx.source,
        action=action,
        model=model,
        object_pk=str(object_pk or "")[:64],
        object_repr=str(object_repr or "")[:300],
        unit_path=unit_path or "",
        changes=changes or {},
        note=note[:500],
    )


def record(
    action: str, instance=None, *, changes: dict | None = None, note: str = "", unit_path: str | None = None
):
    """Record one event about ``instance`` (or about nothing in particular)."""
    if instance is None:
        return _write(action, changes=changes, note=note, unit_path=unit_path or "")
    try:
        label = str(instance)
    except Exception:  # a broken __str__ must never stop a save from being recorded
        label = f"{instance._meta.label_lower} #{instance.pk}"
    return _write(
        action,
        model=instance._meta.label_lower,
        object_pk=instance.pk,
        object_repr=label,
        unit_path=unit_path if unit_path is not None else unit_path_of(instance),
        changes=changes,
        note=note,
    )


def record_bulk(model_label: str, *, note: str, unit_path: str = "", changes: dict | None = None):
    """Record one bulk change (an import, a decision over many subjects) with its summary."""
    return _write("bulk", model=model_label, unit_path=unit_path, changes=changes, note=note)


_tracked_cache: dict[type, bool] = {}


def _tracked(sender) -> bool:
    cached = _tracked_cache.get(sender)
    if cached is not None:
        return cached
    meta = getattr(sender, "_meta", None)
    app = getattr(meta, "app_config", None)
    result = bool(
        meta is not None
        and app is not None
        and meta.label_lower not in UNTRACKED
        and not meta.proxy
        and (app.name.startswith(TRACKED_APP_PREFIX) or meta.label_lower == "auth.group")
    )
    _tracked_cache[sender] = result
    return result


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or not _tracked(sender) or instance.pk is None or instance._state.adding:
        instance._audit_before = None
        return
    try:
        old = sender._base_manager.get(pk=instance.pk)
    except sender.DoesNotExist:
        instance._audit_before = None
        return
    instance._audit_before = snapshot(old)


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _tracked(sender):
        return
    after = snapshot(instance)
    if created:
        record("create", instance, changes={"after": after})
        return
    before = getattr(instance, "_audit_before", None) or {}
    diff_before = {k: v for k, v in before.items() if after.get(k) != v}
    diff_after = {k: after.get(k) for k in diff_before}
    if not diff_before and before:
        return  # a save that changed nothing
    record("update", instance, changes={"before": diff_before, "after": diff_after})


def _post_delete(sender, instance, **kwargs):
    if not _tracked(sender):
        return
    record("delete", instance, changes={"before": snapshot(instance)})


def _logged_in(sender, request, user, **kwargs):
    _write("login", actor=user, model="accounts.user", object_pk=user.pk, object_repr=str(user))


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        _write("logout", actor=user, model="accounts.user", object_pk=user.pk, object_repr=str(user))


def _login_failed(sender, credentials, request=None, **kwargs):
    _write("login_failed", note=f"username={str(credentials.get('username', ''))[:100]}")


def connect_signals() -> None:
    pre_save.connect(_pre_save, dispatch_uid="xhht_audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="xhht_audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="xhht_audit_post_delete")
    user_logged_in.connect(_logged_in, dispatch_uid="xhht_audit_login")
    user_logged_out.connect(_logged_out, dispatch_uid="xhht_audit_logout")
    user_login_failed.connect(_login_failed, dispatch_uid="xhht_audit_login_failed")
