from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("lan-nhap/<int:pk>/", views.job_detail, name="job"),
    path("lan-nhap/<int:pk>/nhap/", views.job_commit, name="commit"),
    path("mau/<str:kind>.xlsx", views.template_download, name="template"),
]
