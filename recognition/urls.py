"""The register's pages. They keep their place in the "programme" URL namespace
(`programme:register`, `/programme/…`): programme/urls.py mounts them with the plans."""

from django.urls import path

from recognition import views, views_import

urlpatterns = [
    path("", views.register_list, name="register"),
    path("record/", views.go_record, name="go_record"),
    path("expiring/", views.expiring_list, name="expiring"),
    path("expired/", views.expired_list, name="expired"),
    path("levels/", views.level_list, name="levels"),
    path("forecast/", views.forecast_view, name="forecast"),
    path("import/", views_import.import_upload, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/confirm/", views_import.import_confirm, name="import_confirm"),
    path("recognitions/<int:pk>/file/", views.decision_file, name="file"),
    path("schools/<str:code>/recognitions/", views.school_register, name="school"),
    path("schools/<str:code>/recognitions/new/", views.decision_create, name="record"),
    path(
        "schools/<str:code>/recognitions/<int:pk>/correct/",
        views.decision_correct,
        name="correct",
    ),
]
