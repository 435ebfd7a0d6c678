from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Perm
from xhht.web.nav import NavItem

NAV = [
    NavItem(_("Công dân"), "registry:people", Perm.REGISTRY_VIEW, order=20),
    NavItem(_("Hộ gia đình"), "registry:households", Perm.REGISTRY_VIEW, order=21),
    NavItem(_("Dòng họ"), "registry:clans", Perm.REGISTRY_VIEW, order=22),
    NavItem(_("Cơ quan, đơn vị"), "registry:orgs", Perm.REGISTRY_VIEW, order=23),
    NavItem(_("TTHTCĐ"), "registry:centres", Perm.REGISTRY_VIEW, order=24),
    NavItem(_("Hội viên khuyến học"), "registry:members", Perm.REGISTRY_VIEW, order=25),
    NavItem(_("Hồ sơ của tôi"), "registry:index", None, order=26, citizen=True),
]
