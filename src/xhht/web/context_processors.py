from django.conf import settings

from xhht.accounts.access import access_for

from .nav import nav_for


def shell(request):
    user = getattr(request, "user", None)
    access = access_for(user)
    return {
        "access": access,
        "nav_items": nav_for(access) if access.is_authenticated else [],
        "xhht_debug": settings.DEBUG,
    }
