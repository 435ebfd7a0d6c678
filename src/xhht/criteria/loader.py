"""The default criteria sets shipped in ``criteria/data/*.yaml``: load and publish them (idempotent).

A shipped set already present (same code and version) keeps its content; only its annotations —
what is provisional and why, which level of units it applies to — follow the file, since they
record what is known about the content, not the content (they are outside ``content_hash``). A new
version of a shipped set retires the older published versions of the same code.
"""

from __future__ import annotations

from pathlib import Path

from django.db import models, transaction

from .authoring import build_from_document, parse_yaml
from .models import CriteriaGroup, CriteriaSet, Criterion, Indicator, OutcomeRule, SetStatus

DATA_DIR = Path(__file__).with_name("data")


def default_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.yaml"))


def _note(node: dict) -> tuple[bool, str]:
    note = str(node.get("provisional_note") or "").strip()
    return bool(node.get("provisional")) or bool(note), note


def sync_annotations(doc: dict, *, sets, groups, criteria, indicators, outcomes) -> int:
    """Copy the annotations of a shipped document onto the stored set(s) with its code and version.

    The model arguments are the app's models or a migration's historical ones; updates go through
    ``models.QuerySet.update`` because published rows refuse ordinary updates. Returns the number
    of sets touched."""
    s = doc["settings"]
    found = list(
        sets.objects.filter(code=s["code"], version=s.get("version") or 1).values_list("pk", flat=True)
    )

    def mark(model, node: dict, **filters) -> bool:
        flag, note = _note(node)
        models.QuerySet.update(model.objects.filter(**filters), provisional=flag, provisional_note=note)
        return flag

    for pk in found:
        any_part = False
        for g in doc.get("groups") or []:
            any_part |= mark(groups, g, criteria_set_id=pk, code=str(g["code"]))
            for c in g.get("criteria") or []:
                any_part |= mark(criteria, c, criteria_set_id=pk, code=str(c["code"]))
                for i in c.get("indicators") or []:
                    any_part |= mark(indicators, i, criteria_set_id=pk, code=str(i["code"]))
        for o in doc.get("outcomes") or []:
            any_part |= mark(outcomes, o, criteria_set_id=pk, level=o["level"])
        flag, note = _note(s)
        models.QuerySet.update(
            sets.objects.filter(pk=pk),
            provisional=flag or any_part,
            provisional_note=note,
            applies_to=str(s.get("applies_to") or ""),
        )
    return len(found)


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
            sync_annotations(
                doc,
                sets=CriteriaSet,
                groups=CriteriaGroup,
                criteria=Criterion,
                indicators=Indicator,
                outcomes=OutcomeRule,
            )
            existing.refresh_from_db()
            if publish and existing.status == "draft":
                existing = publish_internal(existing, user=None)
            out.append((existing, False))
            continue
        cs = build_from_document(doc)
        older = CriteriaSet.objects.filter(code=cs.code, version__lt=cs.version).order_by("-version")
        if older.exists():
            cs.parent = older.first()
            cs.save(update_fields=["parent"])
        if publish:
            cs = publish_internal(cs, user=None)
            for old in older.filter(status=SetStatus.PUBLISHED):
                old.status = SetStatus.RETIRED  # the shipped file moved on: the new version replaces it
                old.save(update_fields=["status"])
        out.append((cs, True))
        if write:
            write(f"  {cs.get_title_display()}: {cs} — {cs.get_status_display()}")
    return out
