"""Entry points other apps call when facts change, so indicators stay fresh without a nightly rebuild.

The recognition app calls ``recognitions_changed`` / ``registrations_changed`` after a decision is
signed, a recognition revoked or a registration made (inside ``transaction.on_commit``); the plans
app calls ``dataset_approved`` when aggregate figures are approved or unlocked. Single-row saves of
registry rows refresh their commune through signals (``analytics.signals``); bulk writers (imports)
call ``registry_changed`` with the model label and the unit paths they touched.
"""

from __future__ import annotations


def recognitions_changed(*, title: str, year: int, unit_paths: list[str]) -> None:
    """Recognitions of ``title`` in ``year`` changed under these unit paths."""
    from . import services

    services.refresh_recognitions(title=title, year=year, unit_paths=unit_paths)


def registrations_changed(*, title: str, year: int, unit_paths: list[str]) -> None:
    from . import services

    services.refresh_registrations(title=title, year=year, unit_paths=unit_paths)


def registry_changed(*, model_label: str, unit_paths: list[str]) -> None:
    """Rows of ``model_label`` (e.g. "registry.Person") were written in bulk under these paths."""
    from . import services

    services.refresh_registry(model_label=model_label, unit_paths=unit_paths)


def dataset_approved(*, unit_paths: list[str], year: int) -> None:
    from . import services

    services.refresh_dataset(unit_paths=unit_paths, year=year)
