from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("units/", include("units.urls")),
    path("schools/", include("schools.urls")),
    path("frameworks/", include("frameworks.urls")),
    path("programme/", include("programme.urls")),
    path("dashboard/", include("programme.urls_dashboard")),
    path("documents/", include("documents.urls")),
    path("assessments/", include("assessments.urls")),
    path("evidence/", include("evidence.urls")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
]
