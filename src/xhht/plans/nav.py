from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Perm
from xhht.web.nav import NavItem

NAV = [
    NavItem(_("Kế hoạch, chỉ tiêu"), "plans:list", Perm.PLANS_VIEW, order=60),
    NavItem(_("Số liệu tổng hợp"), "plans:datasets", Perm.DATASET_ENTER, order=62),
    NavItem(_("Khen thưởng"), "plans:commendations", Perm.PLANS_VIEW, order=64),
]
