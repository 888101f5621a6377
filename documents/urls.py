"""The documents library's pages. The domains' document pages (self-assessment documents,
prose editors of reports and plans) share the "documents" namespace: truongchuan/urls.py mounts
them under /documents/ beside these."""

from django.urls import path

from documents import views

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/<slug:kind>/", views.generate, name="generate"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("jobs/<int:pk>/file/<str:fmt>/", views.job_file, name="job_file"),
]
