"""The national database school code (mã trường CSDL ngành) in the API: read in every school
row, filtered and searched, written through schools.services with the form's rules."""

from __future__ import annotations

import json

from django.urls import reverse

from schools.models import School


def _set(school: School, code: str) -> None:
    School.objects.filter(pk=school.pk).update(national_code=code)
    school.refresh_from_db()
    school.refresh_text_keys()
    School.objects.filter(pk=school.pk).update(search_text=school.search_text)


def test_the_list_and_detail_show_the_national_code(
    token_client, province_officer, school, sibling_school
):
    _set(school, "12000101")
    client = token_client(province_officer)
    rows = client.get(reverse("api:v1_schools"), {"ordering": "code"}).json()["results"]
    codes = {r["code"]: r["national_code"] for r in rows}
    assert codes == {school.code: "12000101", sibling_school.code: ""}
    detail = client.get(reverse("api:v1_school", args=[school.code])).json()
    assert detail["national_code"] == "12000101"


def test_the_list_filters_and_searches_by_national_code(
    token_client, province_officer, school, sibling_school
):
    _set(school, "12000101")
    client = token_client(province_officer)
    url = reverse("api:v1_schools")
    exact = client.get(url, {"national_code": "12000101"}).json()
    assert [r["code"] for r in exact["results"]] == [school.code]
    assert client.get(url, {"national_code": "1200010"}).json()["count"] == 0
    assert [r["code"] for r in client.get(url, {"q": "12000101"}).json()["results"]] == [
        school.code
    ]


def test_the_export_carries_the_national_code(token_client, province_officer, school):
    _set(school, "12000101")
    client = token_client(province_officer)
    response = client.get(reverse("api:v1_schools_export"), {"national_code": "12000101"})
    lines = [json.loads(x) for x in b"".join(response.streaming_content).splitlines()]
    assert [(r["code"], r["national_code"]) for r in lines] == [(school.code, "12000101")]
    csv_response = client.get(reverse("api:v1_schools_export"), {"output": "csv"})
    text = b"".join(csv_response.streaming_content).decode()
    header = text.splitlines()[0].lstrip("\ufeff").split(",")
    assert "national_code" in header
    assert f"{school.code},{school.name},12000101" in text


def test_an_officer_sets_and_clears_the_national_code(token_client, commune_officer, school):
    client = token_client(commune_officer)
    url = reverse("api:v1_school", args=[school.code])
    etag = client.get(url)["ETag"]
    ok = client.patch(url, {"national_code": "12000101"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["national_code"] == "12000101"
    school.refresh_from_db()
    assert school.national_code == "12000101"
    assert school.history.first().history_user == commune_officer
    cleared = client.patch(url, {"national_code": ""}, format="json", HTTP_IF_MATCH=ok["ETag"])
    assert cleared.status_code == 200 and cleared.json()["national_code"] == ""


def test_a_taken_or_malformed_national_code_is_400_in_vietnamese(
    token_client, commune_officer, province_officer, school, sibling_school, commune
):
    _set(sibling_school, "12000101")
    client = token_client(province_officer)
    url = reverse("api:v1_school", args=[school.code])
    etag = client.get(url)["ETag"]
    taken = client.patch(url, {"national_code": "12000101"}, format="json", HTTP_IF_MATCH=etag)
    assert taken.status_code == 400
    assert "đã được dùng" in taken.json()["national_code"][0]
    bad = client.patch(url, {"national_code": "mã-sai"}, format="json", HTTP_IF_MATCH=etag)
    assert bad.status_code == 400 and "chữ số" in bad.json()["national_code"][0]
    school.refresh_from_db()
    assert school.national_code == ""
    data = {"code": "LC-MN-MOI", "name": "Trường Mầm non Mới", "kind": "MN", "unit": commune.uid}
    creator = token_client(commune_officer)
    refused = creator.post(
        reverse("api:v1_schools"), {**data, "national_code": "12000101"}, format="json"
    )
    assert refused.status_code == 400 and set(refused.json()) == {"national_code"}
    created = creator.post(
        reverse("api:v1_schools"), {**data, "national_code": "12000199"}, format="json"
    )
    assert created.status_code == 201 and created.json()["national_code"] == "12000199"
    assert School.objects.get(code="LC-MN-MOI").national_code == "12000199"


def test_a_principal_may_not_change_the_national_code(token_client, principal, school):
    client = token_client(principal)
    url = reverse("api:v1_school", args=[school.code])
    etag = client.get(url)["ETag"]
    refused = client.patch(url, {"national_code": "12000101"}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 403
