"""The documents of one self-assessment, in the "documents" URL namespace
(`documents:assessment`, /documents/assessments/<id>/): see truongchuan/urls.py."""

from django.urls import path

from assessments import views_documents

urlpatterns = [
    path("assessments/<int:pk>/", views_documents.assessment_documents, name="assessment"),
    path(
        "assessments/<int:pk>/generate/<slug:kind>/",
        views_documents.assessment_generate,
        name="assessment_generate",
    ),
    path(
        "assessments/<int:pk>/prose/",
        views_documents.assessment_prose,
        name="assessment_prose",
    ),
]
