from django.urls import path

from programme import views, views_import, views_plans

app_name = "programme"
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
    # Plans, monthly progress reports, investment (programme/views_plans.py)
    path("plans/", views_plans.plan_list, name="plans"),
    path("plans/new/", views_plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views_plans.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views_plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/targets/", views_plans.plan_target_add, name="plan_target_add"),
    path(
        "plans/<int:pk>/targets/import/",
        views_import.targets_import_upload,
        name="plan_targets_import",
    ),
    path(
        "plans/<int:pk>/targets/import/template.xlsx",
        views_import.targets_import_template,
        name="plan_targets_import_template",
    ),
    path(
        "plans/<int:pk>/targets/import/confirm/",
        views_import.targets_import_confirm,
        name="plan_targets_import_confirm",
    ),
    path(
        "plans/<int:pk>/unit-targets/",
        views_plans.plan_unit_target_add,
        name="plan_unit_target_add",
    ),
    path("plans/<int:pk>/monthly/", views_plans.monthly_grid, name="monthly"),
    path("plans/<int:pk>/monthly/remind/", views_plans.monthly_remind, name="monthly_remind"),
    path(
        "plans/<int:pk>/schools/<str:code>/monthly/",
        views_plans.monthly_school,
        name="monthly_school",
    ),
    path(
        "plans/<int:pk>/schools/<str:code>/monthly/<str:month>/",
        views_plans.monthly_submit,
        name="monthly_submit",
    ),
    path("monthly/<int:pk>/file/", views_plans.monthly_file, name="monthly_file"),
    path("investments/", views_plans.investment_list, name="investments"),
    path("investments/new/", views_plans.investment_create, name="investment_create"),
    path("investments/<int:pk>/edit/", views_plans.investment_edit, name="investment_edit"),
]
