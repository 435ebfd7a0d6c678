from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("doi-tuong/", views.subjects, name="subjects"),
    path("khen-thuong/", views.commendation_list, name="commendations"),
    path("so-lieu/", views.dataset_list, name="datasets"),
    path("so-lieu/<slug:code>/<int:unit_pk>/<int:year>/", views.dataset_entry, name="dataset_entry"),
    path("<slug:code>/", views.plan_detail, name="detail"),
    path("<slug:code>/nhiem-vu/<int:pk>/", views.task_status, name="task_status"),
    path("<slug:code>/bang-dieu-khien/", views.dashboard, name="dashboard"),
    path("<slug:code>/du-lieu/<slug:table>.<str:fmt>", views.dashboard_download, name="download"),
]
