from django.core.management.base import BaseCommand

from xhht.accounts.audit import actor_context
from xhht.plans.services import load_plans


class Command(BaseCommand):
    help = "Nạp danh mục chỉ số, biểu số liệu, các văn bản trung ương và kế hoạch mẫu (chạy lại an toàn)."

    def handle(self, *args, **options):
        with actor_context(source="load_plans"):
            res = load_plans()
        self.stdout.write(f"Kế hoạch: {res['plans']}, chỉ tiêu: {res['targets']}.")
