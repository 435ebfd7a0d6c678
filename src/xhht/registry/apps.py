from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "xhht.registry"
    verbose_name = "Sổ đăng ký"

    def ready(self):
        from xhht.geo.services import villages_succeeded

        from .services import on_villages_succeeded

        villages_succeeded.connect(on_villages_succeeded, dispatch_uid="registry_carry_residents_forward")
