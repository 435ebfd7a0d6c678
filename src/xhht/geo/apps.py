from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "xhht.geo"
    verbose_name = "Đơn vị hành chính"
