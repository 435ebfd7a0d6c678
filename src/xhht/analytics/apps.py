from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "xhht.analytics"
    label = "analytics"
    verbose_name = "Chỉ số"

    def ready(self):
        from . import mapping, signals

        mapping.connect_signals()
        signals.connect()
