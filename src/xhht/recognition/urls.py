from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("dot/<int:pk>/", views.campaign_detail, name="campaign"),
    path("dot/<int:pk>/sua/", views.campaign_edit, name="campaign_edit"),
    path("dot/<int:pk>/dang-ky/", views.register_subject, name="register"),
    path("dot/<int:pk>/tham-dinh-thon/<int:village_pk>/", views.review_village, name="review_village"),
    path("dot/<int:pk>/quyet-dinh/", views.decision_new, name="decision_new"),
    path("ho-so/<int:pk>/", views.file_detail, name="file"),
    path("ho-so/<int:pk>/cau/<int:n>/", views.fill, name="fill"),
    path("ho-so/<int:pk>/kien-nghi/", views.appeal_lodge, name="appeal"),
    path("kien-nghi/", views.appeal_list, name="appeals"),
    path("kien-nghi/<int:pk>/giai-quyet/", views.appeal_resolve, name="appeal_resolve"),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence"),
    path("quyet-dinh/", views.decision_list, name="decisions"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision"),
    path("quyet-dinh/<int:pk>/pdf/", views.decision_pdf, name="decision_pdf"),
    path("cong-nhan/<int:pk>/", views.recognition_detail, name="recognition"),
    path("cong-nhan/<int:pk>/giay-cong-nhan.pdf", views.certificate_pdf, name="certificate_pdf"),
]
