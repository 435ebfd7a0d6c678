"""``xhht purge_imports [--days 7]``: remove uploaded import files older than N days (run daily)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from xhht.imports.services import jobs_purge


class Command(BaseCommand):
    help = "Xoá các tệp nhập dữ liệu đã tải lên quá N ngày (remove uploaded import files older than N days)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, days: int, **options):
        n = jobs_purge(older_than_days=days)
        self.stdout.write(f"Đã xoá {n} tệp.")
