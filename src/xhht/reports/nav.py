from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Perm
from xhht.web.nav import NavItem

NAV = [NavItem(_("Báo cáo"), "reports:new", Perm.REPORTS_VIEW, order=66)]
