from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xhht.reports"
    verbose_name = "Báo cáo"
