from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "xhht.recognition"
    verbose_name = "Đánh giá, công nhận"
