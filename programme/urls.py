"""The programme section of the site (/programme/, namespace "programme"): the recognition
register's pages (recognition/urls.py, mounted first) and the plans, monthly reports and investment
projects."""

from django.urls import path

from programme import views_plans
from recognition import urls as recognition_urls

app_name = "programme"
urlpatterns = [
    *recognition_urls.urlpatterns,
    # Plans, monthly progress reports, investment (programme/views_plans.py)
    path("plans/", views_plans.plan_list, name="plans"),
    path("plans/new/", views_plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views_plans.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views_plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/targets/", views_plans.plan_target_add, name="plan_target_add"),
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
