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
    path("<int:pk>/xac-nhan/", views.confirm, name="confirm"),
    path("<int:pk>/xoa/", views.delete, name="delete"),
    path("<int:pk>/chi-so/<int:ind_pk>/sua/", views.indicator_edit, name="indicator_edit"),
    path("<int:pk>/chi-so/<int:ind_pk>/xoa/", views.indicator_delete, name="indicator_delete"),
    path("<int:pk>/tieu-chi/<int:crit_pk>/them-chi-so/", views.indicator_add, name="indicator_add"),
]
