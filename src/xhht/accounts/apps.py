from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xhht.accounts"
    verbose_name = "Tài khoản, phân quyền và nhật ký"

    def ready(self) -> None:
        from . import audit

        audit.connect_signals()
