from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xhht.api"
    verbose_name = "API"
