from django.utils.translation import gettext_lazy as _

from xhht.web.nav import NavItem

NAV = [
    NavItem(_("Bộ tiêu chí"), "criteria:list", None, order=40, staff_only=True),
]
