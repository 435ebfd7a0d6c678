"""The public verification page, mounted at /xac-thuc/ (no login)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/", views.verify, name="verify"),
]
