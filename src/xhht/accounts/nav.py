from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Perm
from xhht.web.nav import NavItem

NAV = [
    NavItem(_("Nhật ký thay đổi"), "accounts:audit", Perm.AUDIT_VIEW, order=90),
]
