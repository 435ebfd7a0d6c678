from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "xhht.criteria"
    verbose_name = "Bộ tiêu chí"
