from django.urls import path

from documents import views, views_assessment

app_name = "documents"
urlpatterns = [
    path("", views.index, name="index"),
    path("generate/<slug:kind>/", views.generate, name="generate"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/file/<str:fmt>/", views.job_file, name="job_file"),
    path("drafts/report/", views.report_draft, name="report_draft"),
    path("drafts/plan/<int:plan_id>/", views.plan_draft, name="plan_draft"),
    path("assessments/<int:pk>/", views_assessment.assessment_documents, name="assessment"),
    path(
        "assessments/<int:pk>/generate/<slug:kind>/",
        views_assessment.assessment_generate,
        name="assessment_generate",
    ),
    path(
        "assessments/<int:pk>/prose/",
        views_assessment.assessment_prose,
        name="assessment_prose",
    ),
]
