from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xhht.portal"
    verbose_name = "Cổng công dân"
