from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xhht.web"
    verbose_name = "Giao diện cán bộ"
