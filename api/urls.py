from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# api.schema describes the token scheme to drf-spectacular: imported with the URLs, before
# any schema is generated.
from api import schema, v1, views, views_tokens  # noqa: F401

app_name = "api"

# /api/v1/: the versioned API (Django REST framework). Public codes in every path.
v1_patterns = [
    path("v1/", v1.Root.as_view(), name="v1_root"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="v1_schema"),
    path(
        "v1/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:v1_schema", template_name="api/swagger_ui.html"
        ),
        name="v1_docs",
    ),
    path("v1/me/", v1.Me.as_view(), name="v1_me"),
    path("v1/units/", v1.UnitList.as_view(), name="v1_units"),
    path("v1/units/<str:uid>/", v1.UnitDetail.as_view(), name="v1_unit"),
    path("v1/schools/", v1.SchoolList.as_view(), name="v1_schools"),
    path("v1/schools-export/", v1.SchoolExport.as_view(), name="v1_schools_export"),
    path("v1/schools/<str:code>/", v1.SchoolDetail.as_view(), name="v1_school"),
    path(
        "v1/schools/<str:code>/year-data/",
        v1.SchoolYearDataList.as_view(),
        name="v1_school_year_data",
    ),
    path(
        "v1/schools/<str:code>/recognitions/",
        v1.SchoolRecognitions.as_view(),
        name="v1_school_recognitions",
    ),
    path(
        "v1/schools/<str:code>/recognitions/<int:entry>/",
        v1.SchoolRecognitionDetail.as_view(),
        name="v1_school_recognition",
    ),
    path(
        "v1/schools/<str:code>/assessments/",
        v1.SchoolAssessments.as_view(),
        name="v1_school_assessments",
    ),
    path(
        "v1/schools/<str:code>/assessments/<str:school_year>/",
        v1.AssessmentDetail.as_view(),
        name="v1_assessment",
    ),
    path(
        "v1/schools/<str:code>/assessments/<str:school_year>/evidence/",
        v1.EvidenceList.as_view(),
        name="v1_assessment_evidence",
    ),
    path(
        "v1/schools/<str:code>/assessments/<str:school_year>/evidence/<str:evidence_code>/file/",
        v1.EvidenceFile.as_view(),
        name="v1_evidence_file",
    ),
    path(
        "v1/schools/<str:code>/evaluations/",
        v1.SchoolEvaluations.as_view(),
        name="v1_school_evaluations",
    ),
    path(
        "v1/schools/<str:code>/evaluations/<int:number>/",
        v1.EvaluationDetail.as_view(),
        name="v1_evaluation",
    ),
    path("v1/recognitions/", v1.RecognitionList.as_view(), name="v1_recognitions"),
    path("v1/assessments/", v1.AssessmentList.as_view(), name="v1_assessments"),
    path("v1/frameworks/", v1.FrameworkList.as_view(), name="v1_frameworks"),
    path("v1/frameworks/<str:code>/", v1.FrameworkDetail.as_view(), name="v1_framework"),
    path("v1/frameworks/<str:code>/indicators/", v1.IndicatorList.as_view(), name="v1_indicators"),
    path(
        "v1/frameworks/<str:code>/indicators/<str:ident>/",
        v1.IndicatorDetail.as_view(),
        name="v1_indicator",
    ),
    path("v1/plans/", v1.PlanList.as_view(), name="v1_plans"),
    path("v1/plans/<uuid:code>/", v1.PlanDetail.as_view(), name="v1_plan"),
    path("v1/investments/", v1.InvestmentList.as_view(), name="v1_investments"),
    path("v1/monthly-reports/", v1.MonthlyReportList.as_view(), name="v1_monthly_reports"),
]

urlpatterns = [
    # The first, hand-written read-only endpoints: kept for existing clients.
    path("me/", views.me, name="me"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<str:code>/", views.school_detail, name="school_detail"),
    path("units/<str:uid>/", views.unit_detail, name="unit_detail"),
    # The pages where a person manages their tokens, an administrator system accounts.
    path("tokens/", views_tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="token_revoke"),
    path("system-accounts/", views_tokens.system_accounts, name="system_accounts"),
    path(
        "system-accounts/<str:username>/",
        views_tokens.system_account,
        name="system_account",
    ),
    *v1_patterns,
]
