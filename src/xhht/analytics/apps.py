from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "xhht.analytics"
    verbose_name = "Phân tích chỉ số"
