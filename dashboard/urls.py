from django.urls import path

from dashboard import views as views_dashboard

app_name = "dashboard"
urlpatterns = [
    path("", views_dashboard.dashboard_home, name="index"),
    path("export.xlsx", views_dashboard.export_home, name="export"),
    path("<str:uid>/", views_dashboard.dashboard_unit, name="unit"),
    path("<str:uid>/export.xlsx", views_dashboard.export_unit, name="unit_export"),
]
