import time

from django.core.management.base import BaseCommand

from xhht.analytics.services import rebuild


class Command(BaseCommand):
    help = "Tính lại toàn bộ số liệu chỉ số từ sổ đăng ký, quyết định công nhận và biểu số liệu đã duyệt."

    def handle(self, *args, **options):
        t = time.perf_counter()
        res = rebuild(write=self.stdout.write)
        self.stdout.write(
            f"Đã tính lại: {res['leaf']} số đếm gốc, {res['facts']} số liệu tổng hợp "
            f"({time.perf_counter() - t:.1f} s)."
        )
