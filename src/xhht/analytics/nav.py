from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Perm
from xhht.web.nav import NavItem

NAV = [NavItem(_("Chỉ số"), "analytics:indicators", Perm.PLANS_VIEW, order=61)]
