from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "xhht.plans"
    verbose_name = "Kế hoạch, chỉ tiêu"
