"""Demo data of the criteria app: the default criteria sets, published; the demo province's
education department confirms the two provisional sets the demo campaigns use (Gia đình học tập,
Đơn vị học tập cấp xã) — the others stay waiting for a confirmation, as a province would find them."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from xhht.accounts.audit import actor_context
from xhht.core.demo import DemoContext
from xhht.core.titles import Title

from .loader import load_defaults
from .models import CriteriaSetConfirmation

DEMO_CONFIRMED = (Title.GDHT, Title.DVHT)


def seed(ctx: DemoContext) -> None:
    result = load_defaults(publish=True)
    created = sum(1 for _cs, c in result if c)
    ctx.write(f"Bộ tiêu chí: {created} mới, {len(result)} bộ đã ban hành.")
    officer = ctx.users.get("so_gddt")
    if officer is None:
        return
    from .services import criteria_set_confirm, criteria_set_for

    with actor_context(officer, source="demo"):
        for title in DEMO_CONFIRMED:
            try:
                cs = criteria_set_for(title, ctx.today.year, ctx.commune)
            except ValidationError:
                continue
            if (
                not cs.provisional
                or CriteriaSetConfirmation.objects.filter(criteria_set=cs, province=ctx.province).exists()
            ):
                continue
            criteria_set_confirm(
                user=officer,
                criteria_set=cs,
                province=ctx.province,
                note="Dữ liệu demo: đã đối chiếu với hướng dẫn của tỉnh, áp dụng các số tạm tính như hiện có.",
            )
            ctx.write(f"{cs}: Sở GD-ĐT {ctx.province.name} đã xác nhận áp dụng.")
