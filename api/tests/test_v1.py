"""The versioned API: schema and docs, scoping like the pages, safe writes, streamed export."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from recognition.models import RecognitionDecision
from schools.models import School

pytestmark = pytest.mark.django_db


def _walk_properties(node, path=""):
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{path}.{name}", prop
        for key, value in node.items():
            yield from _walk_properties(value, f"{path}/{key}")
    elif isinstance(node, list):
        for item in node:
            yield from _walk_properties(item, path)


def test_the_schema_is_openapi_3_and_every_field_is_described_in_vietnamese(client):
    response = client.get(reverse("api:v1_schema"), {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    missing = [
        path
        for path, prop in _walk_properties(schema["components"]["schemas"])
        if "$ref" not in prop
        and not prop.get("description")
        and not any("$ref" in p for p in prop.get("allOf", []))
    ]
    assert missing == []
    # Public codes in paths, never database ids (a plan by its UUID code, an evaluation by its
    # number within its school, a decision by its entry in its school's register, in recording
    # order).
    params = {p for path in schema["paths"] for p in re.findall(r"{(\w+)}", path)}
    assert params == {"code", "uid", "school_year", "ident", "number", "evidence_code", "entry"}


def test_the_docs_page_runs_from_static_files_under_the_csp(client):
    response = client.get(reverse("api:v1_docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    # Every script has a src (no inline script), all from this site.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    init = client.get(reverse("api:v1_docs") + "?script=")
    assert init.status_code == 200 and "SwaggerUIBundle" in init.content.decode()


def test_anonymous_caller_gets_401(school):
    response = APIClient().get(reverse("api:v1_schools"))
    assert response.status_code == 401
    assert "Bearer" in response["WWW-Authenticate"]


def test_school_list_is_scoped_with_recognition_and_latest_level(
    token_client, commune_officer, school, outside_school
):
    RecognitionDecision.objects.create(
        school=school,
        kind="standard_new",
        signed_on=dt.date(2022, 5, 1),
        level=1,
        number="12/QĐ-UBND",
        signing_body="UBND tỉnh Lai Châu",
    )
    data = token_client(commune_officer).get(reverse("api:v1_schools")).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["code"] == school.code and row["province"] == "P12"
    assert row["recognition"]["level"] == 1
    assert row["recognition"]["decision_number"] == "12/QĐ-UBND"
    assert row["latest_assessment"] is None


def test_outside_the_scope_is_404_inside_without_the_right_is_403(
    token_client, outsider, principal, school
):
    url = reverse("api:v1_school", args=[school.code])
    assert token_client(outsider).get(url).status_code == 404
    assert token_client(outsider).patch(url, {}, format="json").status_code == 404
    record = reverse("api:v1_school_recognitions", args=[school.code])
    assert token_client(principal).post(record, {}, format="json").status_code == 403


def test_an_edit_needs_the_etag_and_a_stale_one_is_409(token_client, commune_officer, school):
    client = token_client(commune_officer)
    url = reverse("api:v1_school", args=[school.code])
    read = client.get(url)
    etag = read["ETag"]
    assert client.patch(url, {"phone": "0213 3 876 543"}, format="json").status_code == 428
    ok = client.patch(url, {"phone": "0213 3 876 543"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["phone"] == "0213 3 876 543"
    assert ok["ETag"] != etag
    stale = client.patch(url, {"phone": "000"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 409
    school.refresh_from_db()
    assert school.phone == "0213 3 876 543"
    last = school.history.first()
    assert last.history_user == commune_officer  # the audit trail names the token's user


def test_a_principal_may_change_contacts_but_not_the_name(token_client, principal, school):
    client = token_client(principal)
    url = reverse("api:v1_school", args=[school.code])
    etag = client.get(url)["ETag"]
    refused = client.patch(url, {"name": "Tên khác"}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 403
    ok = client.patch(url, {"principal_name": "Lò Văn A"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200


def test_invalid_data_is_400_with_vietnamese_messages(token_client, commune_officer, school):
    client = token_client(commune_officer)
    url = reverse("api:v1_school", args=[school.code])
    etag = client.get(url)["ETag"]
    response = client.patch(
        url, {"email": "khong-phai-email", "kind": "XYZ"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"email", "kind"}
    assert "hợp lệ" in " ".join(body["email"] + body["kind"])


def test_a_commune_officer_creates_a_school_in_their_commune(
    token_client, commune_officer, commune, other_commune
):
    client = token_client(commune_officer)
    data = {"code": "LC-MN-MOI", "name": "Trường Mầm non Mới", "kind": "MN", "unit": commune.uid}
    created = client.post(reverse("api:v1_schools"), data, format="json")
    assert created.status_code == 201 and created.json()["unit"] == commune.uid
    assert School.objects.get(code="LC-MN-MOI").history.first().history_user == commune_officer
    again = client.post(reverse("api:v1_schools"), data, format="json")
    assert again.status_code == 400 and "code" in again.json()
    elsewhere = client.post(
        reverse("api:v1_schools"),
        {**data, "code": "X-1", "unit": other_commune.uid},
        format="json",
    )
    assert elsewhere.status_code == 400 and "unit" in elsewhere.json()


def test_the_so_records_a_decision_through_the_service(token_client, province_officer, school):
    client = token_client(province_officer)
    url = reverse("api:v1_school_recognitions", args=[school.code])
    data = {
        "kind": "standard_new",
        "number": "45/QĐ-SGDĐT",
        "signed_on": "2024-06-03",
        "signing_body": "UBND tỉnh Lai Châu",
        "level": 1,
    }
    response = client.post(url, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["valid_until"] == "2029-06-03"
    school.refresh_from_db()
    assert school.standard_level == 1
    duplicate = client.post(url, data, format="json")
    assert duplicate.status_code == 400
    bad = client.post(url, {**data, "signed_on": "03/06/2024"}, format="json")
    assert bad.status_code == 400 and "signed_on" in bad.json()


def test_unknown_method_is_405_not_a_csrf_refusal(token_client, superuser, school):
    client = token_client(superuser)
    assert client.delete(reverse("api:v1_school", args=[school.code])).status_code == 405
    assert client.post(reverse("api:v1_units")).status_code == 405
    # The first endpoints too: a token client gets 405, not a CSRF 403.
    old = token_client(superuser).post(reverse("api:school_list"))
    assert old.status_code == 405


def test_session_clients_keep_working_with_csrf(client, commune_officer, school):
    client.force_login(commune_officer)
    assert client.get(reverse("api:v1_schools")).json()["count"] == 1
    strict = APIClient(enforce_csrf_checks=True)
    strict.force_login(commune_officer)
    url = reverse("api:v1_school", args=[school.code])
    etag = strict.get(url)["ETag"]
    refused = strict.patch(url, {"phone": "1"}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


def test_units_show_the_reform_history(token_client, province_officer, province, commune):
    from units.models import AdminUnit

    old = AdminUnit.objects.create(
        uid="HD110",
        code="110",
        name="Huyện Phong Thổ",
        division_type="huyện",
        parent=province,
        valid_to=dt.date(2025, 7, 1),
    )
    old.successors.add(commune)
    client = token_client(province_officer)
    data = client.get(reverse("api:v1_unit", args=[commune.uid])).json()
    assert [p["uid"] for p in data["predecessors"]] == ["HD110"]
    data = client.get(reverse("api:v1_unit", args=["HD110"])).json()
    assert [s["uid"] for s in data["successors"]] == [commune.uid]
    retired = client.get(reverse("api:v1_units"), {"current": "false"}).json()
    assert [u["uid"] for u in retired["results"]] == ["HD110"]


def test_the_export_streams_every_school_in_scope(
    token_client, province_officer, school, sibling_school, outside_school
):
    client = token_client(province_officer)
    response = client.get(reverse("api:v1_schools_export"))
    assert response.streaming and response["Content-Type"] == "application/x-ndjson"
    lines = [json.loads(x) for x in b"".join(response.streaming_content).splitlines()]
    assert sorted(r["code"] for r in lines) == sorted([school.code, sibling_school.code])
    csv_response = client.get(reverse("api:v1_schools_export"), {"output": "csv"})
    text = b"".join(csv_response.streaming_content).decode()
    assert text.startswith("\ufeffcode,name") and school.code in text
    assert outside_school.code not in text


def test_lists_filter_sort_and_page(token_client, province_officer, school, sibling_school):
    client = token_client(province_officer)
    url = reverse("api:v1_schools")
    by_code = client.get(url, {"ordering": "-code"}).json()["results"]
    assert [r["code"] for r in by_code] == sorted([school.code, sibling_school.code], reverse=True)
    assert client.get(url, {"kind": "THCS"}).json()["count"] == 1
    assert client.get(url, {"unit": school.unit.uid}).json()["count"] == 1
    page = client.get(url, {"page_size": 1, "page": 2}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["previous"]
    bad = client.get(reverse("api:v1_recognitions"), {"signed_from": "hôm qua"})
    assert bad.status_code == 400 and "signed_from" in bad.json()


def test_me_names_the_token(token_client, make_user, school):
    staff = make_user(Role.STAFF, school=school)
    data = token_client(staff, name="Đồng bộ").get(reverse("api:v1_me")).json()
    assert data["token"] == "Đồng bộ" and data["seats"] == [f"staff@{school.code}"]
