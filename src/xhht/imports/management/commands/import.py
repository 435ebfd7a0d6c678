"""xhht import <file> --kind people --commune <code> [--dry-run] [--user <username>]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from xhht.accounts import audit
from xhht.imports import limits, services
from xhht.imports.models import ImportKind
from xhht.imports.readers import ImportFileError


class Command(BaseCommand):
    help = "Nhập dữ liệu sổ đăng ký từ tệp CSV/XLSX (kiểm tra trước với --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", default="people", choices=[k for k, _ in ImportKind.choices])
        parser.add_argument("--commune", required=True, help="mã xã/phường (2025), ví dụ 23512")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        parser.add_argument("--user", help="tên đăng nhập của cán bộ (kiểm tra quyền nhập của người này)")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--max-errors", type=int, default=200, help="số lỗi in ra màn hình")

    def handle(self, *args, **o):
        from tqdm import tqdm

        try:
            commune = services.commune_by_code(o["commune"])
        except Exception as exc:
            raise CommandError(str(exc))
        actor = None
        if o["user"]:
            from xhht.accounts.models import User

            actor = User.objects.filter(username=o["user"]).first()
            if actor is None:
                raise CommandError(f"Không có người dùng {o['user']}")
        # the limits first: a hostile file is refused in seconds, before anything parses it
        checked = True
        try:
            total = limits.check_file(o["file"]).rows or None
        except limits.ImportLimitError as exc:
            raise CommandError(str(exc))
        except ImportFileError:
            total, checked = None, False  # unreadable: the import reports why
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {o['file']}: {exc.strerror or exc}")
        bar = tqdm(
            total=total, unit=" dòng", disable=o["no_progress"], desc="Kiểm tra" if o["dry_run"] else "Nhập"
        )
        with audit.actor_context(actor, source="cli"):
            outcome = services.import_file(
                actor=actor,
                path=o["file"],
                kind=o["kind"],
                commune=commune,
                dry_run=o["dry_run"],
                progress=bar.update,
                checked=checked,
            )
        bar.close()
        rep = outcome.report
        for issue in rep.errors[: o["max_errors"]]:
            self.stdout.write(f"LỖI dòng {issue.row}, cột '{issue.field}': {issue.message}")
        for issue in rep.warnings[: o["max_errors"]]:
            self.stdout.write(f"CẢNH BÁO dòng {issue.row}, cột '{issue.field}': {issue.message}")
        counts = ", ".join(f"{k}={v}" for k, v in sorted(rep.counts.items()))
        self.stdout.write(f"{rep.rows} dòng; {rep.error_count} lỗi, {rep.warning_count} cảnh báo; {counts}")
        if not rep.ok:
            raise CommandError(
                "Tệp có lỗi: không có dòng nào được nhập." if not o["dry_run"] else "Tệp có lỗi."
            )
        self.stdout.write(
            self.style.SUCCESS("Đã nhập xong." if outcome.committed else "Kiểm tra xong: không có lỗi.")
        )
