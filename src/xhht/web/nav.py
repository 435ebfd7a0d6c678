"""Navigation by role. Each app lists its entries in ``xhht/<app>/nav.py`` as ``NAV = [NavItem(...)]``;
an entry shows when the user holds its permission anywhere (or, for ``citizen``, is a citizen)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.urls import NoReverseMatch, reverse

NAV_APPS = [
    "web",
    "geo",
    "registry",
    "imports",
    "criteria",
    "recognition",
    "plans",
    "analytics",
    "reports",
    "portal",
    "accounts",
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str | None = None  # None: any logged-in user
    order: int = 50
    citizen: bool = False  # shown to citizens (who hold no unit-wide permission)
    staff_only: bool = False


def _items() -> list[NavItem]:
    items: list[NavItem] = []
    for app in NAV_APPS:
        try:
            mod = import_module(f"xhht.{app}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"xhht.{app}.nav":
                raise
            continue
        items.extend(getattr(mod, "NAV", []))
    return sorted(items, key=lambda i: i.order)


def nav_for(access) -> list[dict]:
    out = []
    for item in _items():
        if item.citizen and not access.is_citizen:
            continue
        if item.staff_only and not access.is_staff_officer:
            continue
        if item.perm and not access.has(item.perm):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": item.label, "url": url, "url_name": item.url_name})
    return out
