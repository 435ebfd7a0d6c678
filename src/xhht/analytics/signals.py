"""Single-row saves and deletes of registry rows refresh the counts of their commune after commit.

Bulk writes bypass signals; their services call ``hooks.registry_written`` (the same queue).
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

_pending = threading.local()

# model label -> function(instance) -> paths the row belongs to
PATHS = {
    "registry.Person": lambda o: [o.unit_path],
    "registry.Household": lambda o: [o.unit_path],
    "registry.HouseholdMember": lambda o: [o.person.unit_path, o.household.unit_path],
    "registry.Clan": lambda o: [o.unit_path],
    "registry.ClanHousehold": lambda o: [o.household.unit_path, o.clan.unit_path],
    "registry.Organisation": lambda o: [o.unit_path],
    "registry.OrgMembership": lambda o: [o.organisation.unit_path],
    "registry.LearningCentre": lambda o: [o.unit_path],
    "registry.AssociationMember": lambda o: [o.unit_path],
    "registry.TrainingAttendance": lambda o: [o.member.unit_path],
    "geo.AdminUnit": lambda o: [o.path],
}


def _flush() -> None:
    from . import services

    todo = getattr(_pending, "todo", None) or {}
    _pending.todo = {}
    if not todo:
        return
    try:
        services.refresh_registry_changes({label: sorted(paths) for label, paths in todo.items()})
    except Exception:  # never break the officer's save; the rebuild command repairs
        import logging

        logging.getLogger(__name__).exception("analytics refresh failed for %s", sorted(todo))


def queue(label: str, paths) -> None:
    """Rows of ``label`` changed under ``paths``: refresh them when the transaction commits.

    A flush is registered with every change: one registered by a transaction (or savepoint) that
    was rolled back is dropped with it, and the next change must not count on it; the first flush
    after a commit does the work, the others find nothing left."""
    todo = getattr(_pending, "todo", None)
    if todo is None:
        todo = _pending.todo = {}
    todo.setdefault(label, set()).update(p for p in paths if p)
    transaction.on_commit(_flush)


def _label(sender) -> str:
    return f"{sender._meta.app_label}.{sender.__name__}"


def _pre_save(sender, instance, **kwargs):
    label = _label(sender)
    if label in ("registry.Person", "registry.Household", "registry.Organisation") and instance.pk:
        old = sender.objects.filter(pk=instance.pk).values_list("unit_path", flat=True).first()
        instance._analytics_old_path = old


def _changed(sender, instance, **kwargs):
    label = _label(sender)
    try:
        paths = list(PATHS[label](instance))
    except Exception:
        return
    old = getattr(instance, "_analytics_old_path", None)
    if old:
        paths.append(old)
    if label == "geo.AdminUnit" and instance.level not in (1, 3, 4):
        return
    queue(label, paths)


def connect() -> None:
    from django.apps import apps

    for label in PATHS:
        model = apps.get_model(label)
        uid = f"analytics-{label}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-del")
