from django.urls import path

from . import views

app_name = "evidence"
urlpatterns = [
    path("a/<int:assessment_id>/", views.register, name="register"),
    path("a/<int:assessment_id>/new/", views.create, name="create"),
    path("a/<int:assessment_id>/picker/", views.picker, name="picker"),
    path("a/<int:assessment_id>/import/", views.import_upload, name="import"),
    path(
        "a/<int:assessment_id>/import/template.xlsx",
        views.import_template,
        name="import_template",
    ),
    path("a/<int:assessment_id>/import/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/cite/<int:sheet_id>/", views.cite, name="cite"),
    path("<int:pk>/uncite/<int:sheet_id>/", views.uncite, name="uncite"),
]
