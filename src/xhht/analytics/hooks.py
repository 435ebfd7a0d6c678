"""Entry points other apps call when facts change, so indicators stay fresh without a nightly rebuild.

The recognition app calls ``recognitions_changed`` after a decision is signed or a recognition is
revoked (inside ``transaction.on_commit``); the plans app calls ``dataset_approved`` when aggregate
figures are approved. The analytics app implements them.
"""

from __future__ import annotations


def recognitions_changed(*, title: str, year: int, unit_paths: list[str]) -> None:
    """Recognitions of ``title`` in ``year`` changed under these unit paths."""
    from . import services

    services.refresh_recognitions(title=title, year=year, unit_paths=unit_paths)


def registrations_changed(*, title: str, year: int, unit_paths: list[str]) -> None:
    from . import services

    services.refresh_registrations(title=title, year=year, unit_paths=unit_paths)
