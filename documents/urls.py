from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.index, name="index"),
    path("generate/<slug:kind>/", views.generate, name="generate"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/file/<str:fmt>/", views.job_file, name="job_file"),
    path("drafts/report/", views.report_draft, name="report_draft"),
    path("drafts/plan/<int:plan_id>/", views.plan_draft, name="plan_draft"),
]
