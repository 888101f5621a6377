from django.urls import path

from improvement import views

app_name = "improvement"
urlpatterns = [
    path("truong/<str:code>/", views.school_page, name="school"),
    path("truong/<str:code>/dang-ky/", views.action_register, name="register"),
    path("truong/<str:code>/ra-soat/", views.review_record, name="review"),
    path("truong/<str:code>/bao-cao-thang/", views.monthly_send, name="monthly_send"),
    path("hanh-dong/<int:pk>/", views.action_edit, name="action"),
    path("hanh-dong/<int:pk>/tien-do/", views.note_add, name="note"),
    path("don-vi/<str:uid>/", views.unit_actions, name="unit_actions"),
    path("don-vi/<str:uid>/phan-tich/", views.analysis_page, name="analysis"),
    path("don-vi/<str:uid>/phan-tich.xlsx", views.analysis_xlsx, name="analysis_xlsx"),
]
