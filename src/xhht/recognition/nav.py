from django.utils.translation import gettext_lazy as _

from xhht.accounts.access import Perm
from xhht.web.nav import NavItem

# Every staff role works on files somewhere (review, decide, manage campaigns or assess on behalf).
NAV = [
    NavItem(_("Đánh giá, công nhận"), "recognition:campaigns", None, order=40, staff_only=True),
    NavItem(_("Quyết định công nhận"), "recognition:decisions", Perm.DECIDE, order=41, staff_only=True),
    NavItem(_("Kiến nghị về kết quả"), "recognition:appeals", Perm.REVIEW, order=42, staff_only=True),
]
