from django.urls import path

from . import views

app_name = "geo"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("tim/", views.search, name="search"),
    path("<int:pk>/", views.unit_detail, name="unit"),
    path("<int:pk>/con/", views.unit_children_partial, name="children"),
    path("<int:pk>/lich-su/", views.unit_history_view, name="history"),
    path("<int:pk>/thon/them/", views.village_create_view, name="village_create"),
    path("<int:pk>/doi-ten/", views.village_rename_view, name="village_rename"),
    path("<int:pk>/chia-tach/", views.village_split_view, name="village_split"),
    path("<int:pk>/sap-nhap/", views.village_merge_view, name="village_merge"),
]
