"""The quality bar of issue 15: a client that knows only the schema pages through every school
of a province, reads each one's current recognition and latest self-assessment level, and
records a decision as the Sở."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from api import services as api_services
from assessments.models import Assessment
from frameworks.models import Framework
from frameworks.services import framework_load_dir
from recognition.models import RecognitionDecision
from schools.models import School

pytestmark = pytest.mark.django_db


def _ref_name(node: dict) -> str:
    ref = node.get("$ref") or next((p["$ref"] for p in node.get("allOf", [])), "")
    return ref.rsplit("/", 1)[-1]


def _find(schema: dict, method: str, *, response: str = "", request: str = "") -> str:
    """The path whose operation answers (or takes) the named component."""
    for path, item in schema["paths"].items():
        op = item.get(method)
        if not op:
            continue
        if response:
            for answer in op["responses"].values():
                body = answer.get("content", {}).get("application/json", {}).get("schema", {})
                if _ref_name(body) == response:
                    return path
        if request:
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            if _ref_name(body.get("schema", {})) == request:
                return path
    raise AssertionError(f"no {method} operation with {response or request}")


def _body(component: dict, values: dict) -> dict:
    """A request body holding exactly the fields the schema says are required."""
    return {name: values[name] for name in component["required"]}


@pytest.fixture
def province_of_schools(province, commune, sibling_commune, other_commune):
    framework_load_dir()
    framework = Framework.objects.order_by("code").first()
    schools = []
    for i in range(23):
        unit = commune if i % 2 else sibling_commune
        school = School.objects.create(
            code=f"LC-TH-{i:02}", name=f"Trường Tiểu học số {i}", kind="TH", unit=unit
        )
        schools.append(school)
        if i % 3 == 0:
            RecognitionDecision.objects.create(
                school=school,
                kind="standard_new",
                signed_on=dt.date(2022, 3, 1),
                level=1,
                number=f"{i}/QĐ-UBND",
                signing_body="UBND tỉnh Lai Châu",
            )
        if i % 4 == 0:
            Assessment.objects.create(
                school=school,
                school_year="2024-2025",
                framework=framework,
                framework_version=framework.code,
                started_on=dt.date(2024, 10, 1),
                computed_level=2,
                status="submitted",
            )
    School.objects.create(code="HP-TH-1", name="Trường ngoài tỉnh", kind="TH", unit=other_commune)
    return schools


def test_a_client_written_from_the_schema_pages_reads_and_records(
    province, province_of_schools, province_officer
):
    _token, secret = api_services.token_create(
        user=province_officer, owner=province_officer, name="Phần mềm tỉnh"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    list_path = _find(schema, "get", response="PaginatedSchoolList")
    names = {p["name"] for p in schema["paths"][list_path]["get"]["parameters"]}
    assert {"unit", "page", "page_size", "ordering"} <= names
    detail_path = _find(schema, "get", response="SchoolDetail")
    record_path = _find(schema, "post", request="DecisionWriteRequest")

    seen, pages, url = {}, 0, list_path
    params = {"unit": province.uid, "page_size": 10, "ordering": "code"}
    while url:
        page = client.get(url, params).json()
        pages += 1
        for row in page["results"]:
            seen[row["code"]] = row
        url, params = page["next"], None
    assert pages == 3
    expected = {s.code for s in province_of_schools}
    assert set(seen) == expected

    for code, row in seen.items():
        detail = client.get(detail_path.replace("{code}", code)).json()
        i = int(code.rsplit("-", 1)[1])
        assert detail["recognition"]["level"] == (1 if i % 3 == 0 else 0)
        latest = detail["latest_assessment"]
        assert (latest["level"] if latest else None) == (2 if i % 4 == 0 else None)
        assert row["recognition"] == detail["recognition"]

    component = components["DecisionWriteRequest"]
    kinds = components[_ref_name(component["properties"]["kind"])]["enum"]
    assert "standard_new" in kinds
    body = _body(
        component,
        {
            "kind": "standard_new",
            "number": "88/QĐ-UBND",
            "signed_on": "2025-03-10",
            "signing_body": "UBND tỉnh Lai Châu",
        },
    )
    body["level"] = 1
    created = client.post(record_path.replace("{code}", "LC-TH-01"), body, format="json")
    assert created.status_code == 201, created.content
    after = client.get(detail_path.replace("{code}", "LC-TH-01")).json()
    assert after["recognition"]["level"] == 1
    assert after["recognition"]["decision_number"] == "88/QĐ-UBND"
