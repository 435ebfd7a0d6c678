from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from xhht.accounts.access import Perm, access_for
from xhht.geo.models import AdminUnit, Level


@login_required
def home(request):
    access = access_for(request.user)
    if not access.is_staff_officer and not access.has(Perm.UNIT_VIEW):
        # Citizens (and people whose citizen account is still being verified) use the citizen pages.
        return redirect("portal:home")
    cards = []
    for a in access.assignments:
        unit = a.unit
        below = AdminUnit.objects.subtree(unit, include_self=False).filter(valid_to__isnull=True)
        cards.append(
            {
                "assignment": a,
                "unit": unit,
                "communes": below.filter(level=Level.COMMUNE).count() if unit.level < Level.COMMUNE else None,
                "villages": below.filter(level=Level.VILLAGE).count(),
            }
        )
    return render(
        request,
        "web/home.html",
        {
            "cards": cards,
            "is_admin": access.is_admin,
            "can_view_units": access.has(Perm.UNIT_VIEW),
        },
    )


def healthz(request):
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"ok": True, "database": connection.vendor})


def bad_request(request, exception=None, template_name="400.html"):
    """The project's ``handler400``: a request the server cannot read (a parameter that is not a
    number, a forged paging cursor, a NUL character…). The message of a ``BadParameter`` is shown —
    it was written for the user; other 400s (suspicious requests) say only that the request is invalid."""
    from xhht.core.params import BadParameter

    message = exception.message if isinstance(exception, BadParameter) else ""
    return render(request, template_name, {"message": message}, status=400)
