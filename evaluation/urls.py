from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("dang-ky/<int:assessment_id>/", views.register, name="register"),
    path("dang-ky/r/<int:pk>/", views.registration, name="registration"),
    path("dang-ky/r/<int:pk>/tiep-nhan/", views.registration_accept, name="registration_accept"),
    path("dang-ky/r/<int:pk>/tra-lai/", views.registration_return, name="registration_return"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/doan/", views.team, name="team"),
    path("<int:pk>/doan/<int:member_id>/xoa/", views.team_remove, name="team_remove"),
    path("<int:pk>/bat-dau/", views.start, name="start"),
    path("<int:pk>/tieu-chi/<str:code>/", views.criterion, name="criterion"),
    path("<int:pk>/ket-luan/<int:indicator_id>/", views.consolidate, name="consolidate"),
    path("<int:pk>/doi-chieu/", views.divergence, name="divergence"),
    path("<int:pk>/nhan-xet/<str:code>/", views.review, name="review"),
    path("<int:pk>/khao-sat/", views.visit, name="visit"),
    path("<int:pk>/bao-cao/gui/", views.report_send, name="report_send"),
    path("<int:pk>/y-kien-truong/", views.feedback, name="feedback"),
    path("<int:pk>/bao-cao/chinh-thuc/", views.finalise, name="finalise"),
    path("<int:pk>/quyet-dinh/", views.decision, name="decision"),
]
