"""The default criteria sets shipped in ``criteria/data/*.yaml``: load and publish them (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from .authoring import build_from_document, parse_yaml
from .models import CriteriaSet

DATA_DIR = Path(__file__).with_name("data")


def default_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


@transaction.atomic
def load_defaults(*, publish: bool = True, write=None) -> list[tuple[CriteriaSet, bool]]:
    """Create (and publish) every shipped set not yet present (same code and version). Returns (set, created)."""
    from .services import publish_internal

    out = []
    for path in default_files():
        doc = parse_yaml(path.read_bytes())
        s = doc["settings"]
        existing = CriteriaSet.objects.filter(code=s["code"], version=s.get("version") or 1).first()
        if existing is not None:
            if publish and existing.status == "draft":
                existing = publish_internal(existing, user=None)
            out.append((existing, False))
            continue
        cs = build_from_document(doc)
        if publish:
            cs = publish_internal(cs, user=None)
        out.append((cs, True))
        if write:
            write(f"  {cs.get_title_display()}: {cs} — {cs.get_status_display()}")
    return out
