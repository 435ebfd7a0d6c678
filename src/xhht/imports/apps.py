from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "xhht.imports"
    verbose_name = "Nhập dữ liệu"
