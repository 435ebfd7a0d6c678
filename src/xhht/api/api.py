"""The JSON API (django-ninja, OpenAPI at /api/docs). Each app contributes a router in its ``api.py``.

Authentication is the session (the pages' login) or nothing for public endpoints; every endpoint
goes through ``xhht.accounts.access`` like the pages do.
"""

from importlib import import_module

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(title="XHHT API", version="1", urls_namespace="api", auth=django_auth)

ROUTER_APPS = [
    "geo",
    "registry",
    "imports",
    "criteria",
    "recognition",
    "plans",
    "analytics",
    "reports",
    "portal",
]

for _app in ROUTER_APPS:
    try:
        _mod = import_module(f"xhht.{_app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"xhht.{_app}.api":
            raise
        continue
    api.add_router(f"/{_app}/", _mod.router)
