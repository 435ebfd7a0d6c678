"""Demo data of the criteria app: the default criteria sets, published."""

from __future__ import annotations

from xhht.core.demo import DemoContext

from .loader import load_defaults


def seed(ctx: DemoContext) -> None:
    result = load_defaults(publish=True)
    created = sum(1 for _cs, c in result if c)
    ctx.write(f"Bộ tiêu chí: {created} mới, {len(result)} bộ đã ban hành.")
