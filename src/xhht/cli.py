"""The ``xhht`` console script: Django's manage.py with XHHT's settings."""

import logging
import os
import sys


def _before_worker() -> None:
    """``xhht db_worker`` first gives up the import jobs a dead worker left running (their lock is
    free: see ``xhht.imports.services.jobs_recover``), so no officer watches "Đang nhập" for ever.
    A failure here is logged and does not keep the worker from starting."""
    import django

    django.setup()
    from xhht.imports.services import jobs_recover

    try:
        jobs_recover()
    except Exception:
        logging.getLogger("xhht.imports").exception("recovering interrupted import jobs failed")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xhht.settings")
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ["db_worker"]:
        _before_worker()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
