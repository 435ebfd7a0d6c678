import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from xhht.accounts.audit import actor_context
from xhht.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, run_demo


class Command(BaseCommand):
    help = "Chuẩn bị dữ liệu demo: migrate, nạp đơn vị hành chính, tỉnh Quảng Ngãi mẫu, tài khoản demo (chạy lại an toàn)."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, **options):
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_units", stdout=self.stdout)
        with actor_context(source="demo"):
            ctx = run_demo(write=self.stdout.write)
        self.stdout.write(f"Dữ liệu demo sẵn sàng sau {time.perf_counter() - t0:.1f} s.")
        self.stdout.write("")
        self.stdout.write(f"XHHT: http://{options['host']}:{options['port']}/")
        self.stdout.write(f"Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, _full_name, role, _where, position in DEMO_ACCOUNTS:
            user = ctx.users[username]
            units = ", ".join(a.unit.name for a in user.role_assignments.select_related("unit"))
            self.stdout.write(
                f"  {username:<12} {role.label} — {units}" + (f" ({position})" if position else "")
            )
