"""xhht generate --province 51 --people 1000000 [--seed 1] [--villages-only]"""

import time

from django.core.management.base import BaseCommand

from xhht.accounts.audit import actor_context
from xhht.registry.generate import ensure_villages, generate, province_communes


class Command(BaseCommand):
    requires_system_checks: list = []
    help = "Sinh dữ liệu mẫu cho sổ đăng ký (công dân, hộ, dòng họ, cơ quan, TTHTCĐ, hội viên) của một tỉnh."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="51", help="mã tỉnh (2025), mặc định 51 (Quảng Ngãi)")
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--villages-only", action="store_true", help="chỉ tạo thôn, tổ dân phố cho các xã chưa có"
        )
        parser.add_argument("--communes", type=int, default=0, help="chỉ dùng N xã đầu tiên (0: tất cả)")

    def handle(self, *args, province, people, seed, villages_only, communes, **opts):
        import random

        t = time.perf_counter()
        units = province_communes(province)
        if communes:
            units = units[:communes]
        with actor_context(source="cli"):
            if villages_only:
                vs = ensure_villages(units, random.Random(seed))
                self.stdout.write(
                    f"{sum(len(v) for v in vs.values())} thôn, tổ dân phố trong {len(units)} xã."
                )
            else:
                generate(province=province, people=people, seed=seed, communes=units, write=self.stdout.write)
            # villages, people, households... written in bulk (no signals): the communes are recounted
            from xhht.analytics import hooks
            from xhht.analytics.measures import FAMILIES

            labels = sorted({m for f in FAMILIES for m in f.models if m.split(".")[0] in ("registry", "geo")})
            hooks.registry_changed(model_label=labels, unit_paths=[u.path for u in units])
        self.stdout.write(f"Thời gian: {time.perf_counter() - t:.1f} s")
