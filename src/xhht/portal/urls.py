from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-ky-tai-khoan/", views.signup, name="signup"),
    path("dang-ky-danh-hieu/<int:campaign_pk>/", views.register, name="register"),
    path("ho-so/<int:pk>/", views.file, name="file"),
    path("ho-so/<int:pk>/cau/<int:n>/", views.fill, name="fill"),
    path("ho-so/<int:pk>/kien-nghi/", views.appeal, name="appeal"),
    path("giay-cong-nhan/<int:pk>.pdf", views.certificate, name="certificate"),
    path("tao-tai-khoan/", views.account_create, name="account_create"),
    path("dat-mat-khau/<str:uidb64>/<str:token>/", views.set_password, name="set_password"),
    path("quen-mat-khau/", views.password_forgotten, name="password_forgotten"),
    path("xac-minh/", views.verify_code, name="verify_code"),
    path("xac-minh/gui-lai-ma/", views.resend_code, name="resend_code"),
    path("xac-minh-tai-khoan/", views.claims, name="claims"),
    path("xac-minh-tai-khoan/<int:pk>/", views.claim_resolve, name="claim_resolve"),
]
