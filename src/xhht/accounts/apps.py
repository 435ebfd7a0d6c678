from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xhht.accounts"
    verbose_name = "Tài khoản, phân quyền và nhật ký"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import audit

        audit.connect_signals()
        post_migrate.connect(_grant_runtime_role, sender=self, dispatch_uid="xhht_db_roles")


def _grant_runtime_role(sender, using="default", **kwargs) -> None:
    """After ``migrate`` on PostgreSQL, re-grant the runtime role (new tables, new sequences)."""
    import os

    from django.db import connections

    role = os.environ.get("XHHT_DB_RUNTIME_ROLE")
    if role and connections[using].vendor == "postgresql":
        from . import dbroles

        dbroles.apply(runtime=role, using=using)
