"""The programme section of the site (/programme/, namespace "programme"): the recognition
register's pages (recognition/urls.py, mounted first) and the plans, monthly reports and investment
projects."""

from django.urls import path

from programme import views, views_import_targets
from recognition import urls as recognition_urls

app_name = "programme"
urlpatterns = [
    *recognition_urls.urlpatterns,
    # Plans, monthly progress reports, investment (programme/views.py)
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/targets/", views.plan_target_add, name="plan_target_add"),
    path(
        "plans/<int:pk>/targets/import/",
        views_import_targets.targets_import_upload,
        name="plan_targets_import",
    ),
    path(
        "plans/<int:pk>/targets/import/template.xlsx",
        views_import_targets.targets_import_template,
        name="plan_targets_import_template",
    ),
    path(
        "plans/<int:pk>/targets/import/confirm/",
        views_import_targets.targets_import_confirm,
        name="plan_targets_import_confirm",
    ),
    path(
        "plans/<int:pk>/activities/",
        views.plan_activity_add,
        name="plan_activity_add",
    ),
    path(
        "plans/<int:pk>/unit-targets/",
        views.plan_unit_target_add,
        name="plan_unit_target_add",
    ),
    path("plans/<int:pk>/monthly/", views.monthly_grid, name="monthly"),
    path("plans/<int:pk>/monthly/remind/", views.monthly_remind, name="monthly_remind"),
    path(
        "plans/<int:pk>/schools/<str:code>/monthly/",
        views.monthly_school,
        name="monthly_school",
    ),
    path(
        "plans/<int:pk>/schools/<str:code>/monthly/<str:month>/",
        views.monthly_submit,
        name="monthly_submit",
    ),
    path("monthly/<int:pk>/file/", views.monthly_file, name="monthly_file"),
    path("investments/", views.investment_list, name="investments"),
    path("investments/new/", views.investment_create, name="investment_create"),
    path("investments/<int:pk>/edit/", views.investment_edit, name="investment_edit"),
]
