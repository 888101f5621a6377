"""The report document's prose editor, in the "documents" URL namespace
(`documents:report_draft`): see truongchuan/urls.py."""

from django.urls import path

from dashboard import views_documents

urlpatterns = [
    path("drafts/report/", views_documents.report_draft, name="report_draft"),
]
