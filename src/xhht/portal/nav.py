from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Perm
from xhht.web.nav import NavItem

NAV = [
    NavItem(_("Trang của tôi"), "portal:home", None, order=1, citizen=True),
    NavItem(
        _("Xác minh tài khoản công dân"), "portal:claims", Perm.CITIZEN_ACCOUNTS, order=45, staff_only=True
    ),
    NavItem(
        _("Tạo tài khoản cho người dân"),
        "portal:account_create",
        Perm.CITIZEN_ACCOUNTS,
        order=46,
        staff_only=True,
    ),
]
