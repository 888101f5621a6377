from django.urls import path

from schools import views, views_import, views_yeardata

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("export.xlsx", views_import.school_export, name="export"),
    path("import/", views_import.import_upload, name="import"),
    path("import/template.xlsx", views_import.import_template, name="import_template"),
    path("import/confirm/", views_import.import_confirm, name="import_confirm"),
    path("new/", views.school_create, name="create"),
    path("<str:code>/", views.school_detail, name="detail"),
    path("<str:code>/edit/", views.school_edit, name="edit"),
    path("<str:code>/so-lieu/", views_yeardata.year_data, name="year_data"),
    path("<str:code>/so-lieu/import/", views_import.year_data_import, name="year_data_import"),
    path(
        "<str:code>/so-lieu/import/template.xlsx",
        views_import.year_data_import_template,
        name="year_data_import_template",
    ),
    path(
        "<str:code>/so-lieu/import/confirm/",
        views_import.year_data_import_confirm,
        name="year_data_import_confirm",
    ),
]
