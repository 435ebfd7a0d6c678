"""``xhht recover_imports``: mark failed the import jobs whose process died (run at worker start)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from xhht.imports.services import jobs_recover


class Command(BaseCommand):
    help = (
        "Đánh dấu thất bại các lượt nhập bị gián đoạn (tiến trình xử lý đã dừng) và xoá tệp của chúng "
        "(mark failed the import jobs whose process died, and delete their files). `xhht db_worker` runs it "
        "when it starts."
    )

    def handle(self, *args, **options):
        jobs = jobs_recover()
        for job in jobs:
            self.stdout.write(f"#{job.pk} {job.file_name}: {job.get_status_display()}")
        self.stdout.write(f"Đã đánh dấu thất bại {len(jobs)} lượt nhập bị gián đoạn.")
