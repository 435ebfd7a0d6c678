"""Demo: compute every indicator from the demo data (the rebuild gives the same numbers as the
incremental updates that run from then on)."""

from __future__ import annotations

from xhht.core.demo import DemoContext

from .services import rebuild


def seed(ctx: DemoContext) -> None:
    res = rebuild()
    ctx.write(f"Chỉ số: {res['facts']} số liệu tổng hợp.")
