from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Perm
from xhht.web.nav import NavItem

NAV = [
    NavItem(_("Nhập dữ liệu"), "imports:upload", Perm.REGISTRY_IMPORT, order=35),
]
