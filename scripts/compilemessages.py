"""Compile every .po catalogue under src/ into .mo with polib (no GNU gettext needed)."""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "src"
for po_path in root.rglob("*.po"):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        continue
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
