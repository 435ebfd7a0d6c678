from django.urls import path

from . import views

app_name = "criteria"

urlpatterns = [
    path("", views.set_list, name="list"),
    path("tai-len/", views.upload, name="upload"),
    path("<int:pk>/", views.set_detail, name="detail"),
    path("<int:pk>/tai-ve.<str:fmt>", views.download, name="download"),
    path("<int:pk>/phien-ban-moi/", views.clone, name="clone"),
    path("<int:pk>/ban-hanh/", views.publish, name="publish"),
    path("<int:pk>/thoi-ap-dung/", views.retire, name="retire"),
    path("<int:pk>/xoa/", views.delete, name="delete"),
]
