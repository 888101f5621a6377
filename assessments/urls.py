from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("bat-dau/", views.assessment_start, name="start"),
    path("tien-do/", views.progress, name="progress"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/lich-su/", views.assessment_record, name="record"),
    path("<int:pk>/hoi-dong/", views.council, name="council"),
    path("<int:pk>/nop/", views.assessment_submit, name="submit"),
    path("<int:pk>/nop/kiem-tra/", views.submit_checks, name="submit_checks"),
    path("<int:pk>/tra-lai/", views.assessment_return, name="return"),
    path("<int:pk>/chap-nhan/", views.assessment_accept, name="accept"),
    path("<int:pk>/mo-khoa/", views.assessment_unlock, name="unlock"),
    path("<int:pk>/ban-chup/<int:snapshot_id>/", views.snapshot_detail, name="snapshot"),
    path("<int:pk>/so-sanh-ban-chup/", views.compare_snapshots, name="compare_snapshots"),
    path("<int:pk>/so-sanh-dot/<int:other_pk>/", views.compare_cycles, name="compare_cycles"),
    path("<int:pk>/muc-4/", views.level4, name="level4"),
    path("<int:pk>/muc-4/<int:result_id>/", views.level4_set, name="level4_set"),
    path(
        "<int:pk>/van-ban-yeu-cau/<int:indicator_id>/",
        views.requirement_text,
        name="requirement_text",
    ),
    path("<int:pk>/tieu-chuan/<str:code>/", views.standard_review, name="standard"),
    path("<int:pk>/tieu-chi/<str:code>/", views.sheet_detail, name="sheet"),
    path("<int:pk>/tieu-chi/<str:code>/lich-su/", views.sheet_history, name="history"),
    path(
        "<int:pk>/tieu-chi/<str:code>/chi-bao/<int:result_id>/",
        views.indicator_set,
        name="indicator",
    ),
]
