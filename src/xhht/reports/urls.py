from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_new, name="new"),
    path("<uuid:pk>/", views.report_run, name="run"),
    path("<uuid:pk>/tai/<str:fmt>/", views.report_download, name="download"),
]
