from xhht.core.demo import DemoContext

from .defaults import ensure_defaults


def seed(ctx: DemoContext) -> None:
    ensure_defaults()
