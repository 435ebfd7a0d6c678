"""Entry points other apps call when facts change, so indicators stay fresh without a nightly rebuild.

The recognition app calls ``recognitions_changed`` / ``registrations_changed`` after a decision is
signed, a recognition revoked or a registration made (inside ``transaction.on_commit``); the plans
app calls ``dataset_approved`` when aggregate figures are approved or unlocked. Single-row saves of
registry rows refresh their commune through signals (``analytics.signals``). Bulk writers
(``QuerySet.update``, ``bulk_create``, the importers' SQL and COPY) send no signals: inside their
transaction they call ``registry_written`` with the model labels and every unit path they touched
(the old and the new one of a row that moved); the counts are refreshed when it commits, together
with the single-row saves of the same transaction. ``tests/analytics/test_write_paths.py`` holds
every write service to this.
"""

from __future__ import annotations

from collections.abc import Iterable


def recognitions_changed(*, title: str, year: int, unit_paths: list[str]) -> None:
    """Recognitions of ``title`` in ``year`` changed under these unit paths."""
    from . import services

    services.refresh_recognitions(title=title, year=year, unit_paths=unit_paths)


def registrations_changed(*, title: str, year: int, unit_paths: list[str]) -> None:
    from . import services

    services.refresh_registrations(title=title, year=year, unit_paths=unit_paths)


def registry_changed(*, model_label: str | Iterable[str], unit_paths: Iterable[str]) -> None:
    """Rows of ``model_label`` (e.g. "registry.Person", or several labels) changed under these
    paths: refresh now (outside a transaction, or from an ``on_commit`` callback)."""
    from . import services

    services.refresh_registry(model_label=model_label, unit_paths=unit_paths)


def registry_written(*, model_label: str | Iterable[str], unit_paths: Iterable[str]) -> None:
    """Bulk writers call this inside their transaction: rows of ``model_label`` were written under
    ``unit_paths``; the counts are refreshed once it commits (nothing if it rolls back)."""
    from . import signals

    labels = [model_label] if isinstance(model_label, str) else list(model_label)
    paths = [p for p in unit_paths if p]
    for label in labels:
        signals.queue(label, paths)


def dataset_approved(*, unit_paths: list[str], year: int) -> None:
    from . import services

    services.refresh_dataset(unit_paths=unit_paths, year=year)
