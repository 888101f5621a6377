from django.contrib import admin
from django.urls import include, path

from assessments import urls_documents as assessment_documents_urls
from core import views as core_views
from dashboard import urls_documents as dashboard_documents_urls
from dashboard import views_home
from documents import urls as documents_urls
from programme import urls_documents as programme_documents_urls

# One "documents" namespace (`documents:…`, /documents/…): the library's pages and the pages of
# the documents each domain owns. Composed here, the top of the graph, so that the documents
# library imports no domain app.
documents_patterns = [
    *documents_urls.urlpatterns,
    *dashboard_documents_urls.urlpatterns,
    *programme_documents_urls.urlpatterns,
    *assessment_documents_urls.urlpatterns,
]

urlpatterns = [
    path("", views_home.home, name="home"),
    path("healthz/", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("units/", include("schools.urls_units")),
    path("schools/", include("schools.urls")),
    path("frameworks/", include("frameworks.urls")),
    path("programme/", include("programme.urls")),
    path("improvement/", include("improvement.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("documents/", include((documents_patterns, "documents"))),
    path("assessments/", include("assessments.urls")),
    path("evidence/", include("evidence.urls")),
    path("danh-gia-ngoai/", include("evaluation.urls")),
    path("api/", include("api.urls")),
    # Public pages (công khai): no login.
    path("cong-khai/", include("publication.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]
