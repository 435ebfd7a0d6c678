import time

from django.core.management.base import BaseCommand

from xhht.accounts.audit import actor_context
from xhht.geo.loader import load_units
from xhht.geo.models import AdminUnit, Level, UnitSuccession


class Command(BaseCommand):
    help = "Nạp bản đồ hành chính chính thức: 34 tỉnh / 3.321 xã (từ 01/07/2025) và cấu trúc cũ 63 tỉnh (idempotent)."

    def handle(self, *args, **options):
        t = time.perf_counter()
        with actor_context(source="cli"):
            r = load_units()
        cur = AdminUnit.objects.current()
        self.stdout.write(
            f"Đơn vị hành chính: tạo mới {r.created}, cập nhật {r.updated}, kế thừa mới {r.successions_created} "
            f"({time.perf_counter() - t:.1f} s). Hiện hành: {cur.filter(level=Level.PROVINCE).count()} tỉnh, "
            f"{cur.filter(level=Level.COMMUNE).count()} xã; trước 01/07/2025: "
            f"{AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=False).count()} tỉnh, "
            f"{AdminUnit.objects.filter(level=Level.DISTRICT).count()} huyện, "
            f"{AdminUnit.objects.filter(level=Level.COMMUNE, valid_to__isnull=False).count()} xã; "
            f"{UnitSuccession.objects.count()} quan hệ kế thừa."
        )
