from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Perm
from xhht.web.nav import NavItem

NAV = [
    NavItem(_("Trang chủ"), "web:home", None, order=0),
    NavItem(_("Đơn vị hành chính"), "geo:tree", Perm.UNIT_VIEW, order=10),
]
