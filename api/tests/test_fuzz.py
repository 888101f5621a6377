"""Schemathesis against the app's own schema (issue 15 point 5): every operation, requests
generated from the schema with a fixed seed and a bounded number of examples, as a read-only
system account and as the Sở (a writing role), on the test database. Nothing may answer 5xx,
and every documented answer must match its schema."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.models import Role
from api import services as api_services
from assessments import services as assessment_services
from evaluation.tests.factories import evaluation_at_work
from frameworks.services import framework_load_dir
from programme.models import PlanSchoolTarget, ProgrammePlan
from recognition.models import RecognitionDecision

pytestmark = pytest.mark.django_db

EXAMPLES = 6  # per operation, per role, per way of choosing the path
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def in_process():
    """Run the WSGI app in the test's own transaction: a finished request must not close the
    test's connection (Django's test client does the same)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(province, commune, school, principal, province_officer, make_user):
    framework_load_dir()
    assessment = assessment_services.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    RecognitionDecision.objects.create(
        school=school,
        kind="standard_new",
        signed_on=dt.date(2021, 5, 1),
        level=1,
        number="7/QĐ-UBND",
        signing_body="UBND tỉnh Lai Châu",
    )
    plan = ProgrammePlan.objects.create(
        unit=province,
        kind="de_an",
        issuing_body="UBND tỉnh",
        title="Đề án",
        start_year=2021,
        end_year=2025,
    )
    PlanSchoolTarget.objects.create(plan=plan, school=school, year=2021, target="new_1")
    viewer = make_user(Role.VIEWER, unit=province, username="xem_tinh")
    evaluation_at_work(assessment)  # the school's evaluation number 1
    return {
        "paths": {
            "code": school.code,
            "uid": commune.uid,
            "school_year": assessment.school_year,
            "ident": assessment.framework.indicators.order_by("position").first().ident,
            "entry": 1,  # the school's first decision in its register
        },
        "plan": str(plan.public_id),
        "framework": assessment.framework.code,
        "roles": {"viewer": viewer, "province_officer": province_officer},
    }


def _fuzz(schema, headers: dict, paths: dict, framework: str, plan: str) -> tuple[list[str], dict]:
    failures: list[str] = []
    calls: dict[str, int] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        calls[operation.label] = 0
        names = {p.name for p in operation.path_parameters}
        fixed = {k: v for k, v in paths.items() if k in names}
        if "ident" in names or "frameworks" in operation.path:
            fixed["code"] = framework
        if "/plans/" in operation.path and "code" in names:
            fixed["code"] = plan  # the plan's public code, not a school code
        if "evaluations" in operation.path and "number" in names:
            fixed["number"] = 1  # the school's first evaluation
        for path_parameters in (None, fixed or None):
            strategy = operation.as_strategy(path_parameters=path_parameters)

            @hypothesis_settings(
                max_examples=EXAMPLES,
                derandomize=True,  # the fixed seed: the same requests on every run
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=strategy)
            def run(case):
                response = case.call(headers=headers)
                calls[case.operation.label] += 1
                case.validate_response(response, checks=CHECKS)

            try:
                run()
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure
                failures.append(f"{operation.label}: {exc}")
            if not fixed:
                break
    return failures, calls


@pytest.mark.parametrize("role", ["viewer", "province_officer"])
def test_the_api_survives_schemathesis(role, world, in_process, settings):
    settings.API_RATE = "1000000/minute"
    user = world["roles"][role]
    _token, secret = api_services.token_create(user=user, owner=user, name="Schemathesis")
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", in_process)
    failures, calls = _fuzz(
        schema,
        {"Authorization": f"Bearer {secret}"},
        world["paths"],
        world["framework"],
        world["plan"],
    )
    assert failures == [], "\n\n".join(failures)
    # Every operation of the schema was called (the writes too).
    assert len(calls) >= 24 and min(calls.values()) >= 1, calls
    assert {
        "POST /api/v1/schools/",
        "PATCH /api/v1/schools/{code}/",
        "PATCH /api/v1/schools/{code}/recognitions/{entry}/",
    } <= set(calls)
