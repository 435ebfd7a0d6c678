"""``xhht db_roles --runtime xhht_app``: run as the tables' owner; see ``xhht.accounts.dbroles``."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xhht.accounts import dbroles


class Command(BaseCommand):
    help = "Tạo/cấp quyền vai trò PostgreSQL chạy ứng dụng (không sở hữu bảng; nhật ký chỉ INSERT, SELECT)."

    def add_arguments(self, parser):
        parser.add_argument("--runtime", required=True, help="vai trò đăng nhập của ứng dụng (runtime role)")
        parser.add_argument(
            "--bulk-owner", default=None, help="vai trò sở hữu các bảng sổ đăng ký (mặc định <runtime>_bulk)"
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, runtime, bulk_owner, database, **opts):
        try:
            with transaction.atomic(using=database):
                sql = dbroles.apply(runtime=runtime, bulk_owner=bulk_owner, using=database)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        for line in sql:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Đã cấp quyền cho vai trò {runtime}."))
