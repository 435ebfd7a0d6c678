from django.core.management.base import BaseCommand

from xhht.criteria.loader import load_defaults


class Command(BaseCommand):
    help = "Nạp và ban hành các bộ tiêu chí mặc định (chạy lại không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--draft", action="store_true", help="Chỉ nạp bản nháp, không ban hành.")

    def handle(self, *args, draft=False, **options):
        result = load_defaults(publish=not draft, write=self.stdout.write)
        created = sum(1 for _cs, c in result if c)
        self.stdout.write(f"Bộ tiêu chí: {created} mới, {len(result) - created} đã có.")
