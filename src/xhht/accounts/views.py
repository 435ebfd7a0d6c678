from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from xhht.core.params import int_param
from xhht.geo.selectors import visible_unit

from . import throttle
from .access import Perm, access_for
from .middleware import client_ip
from .models import AuditEvent


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khoá."),
    }


class XhhtLoginView(auth_views.LoginView):
    """Login. django-axes locks a username after repeated failures; an address that fails too many
    logins across usernames (password spraying) is refused here before any password is checked."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        ip = client_ip(request) or "-"
        if not throttle.allowed("login_ip", ip):
            return throttle.refused(request, "login_ip", ip)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.hit("login_ip", client_ip(self.request) or "-")
        return super().form_invalid(form)


@login_required
def audit_list(request):
    """The audit trail for the units the user may audit; ``?unit=<id>`` narrows it to one subtree."""
    access = access_for(request.user)
    access.require(Perm.AUDIT_VIEW)
    qs = access.scope(AuditEvent.objects.select_related("actor"), Perm.AUDIT_VIEW, path_field="unit_path")
    unit = None
    unit_id = int_param(request, "unit", min_value=1)
    if unit_id is not None:
        unit = visible_unit(access, unit_id, Perm.AUDIT_VIEW)
        from xhht.core.fields import subtree_q

        qs = qs.filter(subtree_q(unit.path, "unit_path"))
    action = request.GET.get("action", "")
    if action in AuditEvent.Action.values:
        qs = qs.filter(action=action)
    model = request.GET.get("model", "").strip()
    if model:
        qs = qs.filter(model=model)
    page = Paginator(qs.order_by("-at", "-id"), 50, allow_empty_first_page=True).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/audit_list.html",
        {
            "page": page,
            "unit": unit,
            "action": action,
            "model": model,
            "actions": AuditEvent.Action.choices,
        },
    )
