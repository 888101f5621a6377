"""The plan document's prose editor, in the "documents" URL namespace
(`documents:plan_draft`): see truongchuan/urls.py."""

from django.urls import path

from programme import views_documents

urlpatterns = [
    path("drafts/plan/<int:plan_id>/", views_documents.plan_draft, name="plan_draft"),
]
