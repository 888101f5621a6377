"""Correcting a decision through the API (issue 15 §3: "record/correct by the Sở"): addressed by
the school code and the decision's entry in the school's register, If-Match from the ETag
(428 without, 409 stale), the reason required (400 in Vietnamese), 403/404 like the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from recognition import rules
from recognition.models import RecognitionDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(school):
    made = []
    for n, day in enumerate((dt.date(2019, 5, 2), dt.date(2024, 6, 3)), start=1):
        made.append(
            RecognitionDecision.objects.create(
                school=school,
                kind=rules.STANDARD_NEW if n == 1 else rules.STANDARD_RENEWAL,
                signed_on=day,
                level=1,
                number=f"{n}/QĐ-UBND",
                signing_body="UBND tỉnh Lai Châu",
            )
        )
    return made


def _url(school, entry):
    return reverse("api:v1_school_recognition", args=[school.code, entry])


def test_a_decision_is_read_by_its_entry_with_an_etag(token_client, principal, school, decisions):
    client = token_client(principal)
    read = client.get(_url(school, 2))
    assert read.status_code == 200 and read["ETag"] == '"1"'
    assert read.json()["number"] == "2/QĐ-UBND" and read.json()["entry"] == 2
    listed = client.get(reverse("api:v1_school_recognitions", args=[school.code])).json()
    assert {r["number"]: r["entry"] for r in listed["results"]} == {
        "1/QĐ-UBND": 1,
        "2/QĐ-UBND": 2,
    }
    assert client.get(_url(school, 3)).status_code == 404
    assert client.get(_url(school, 0)).status_code == 404


def test_the_so_corrects_with_a_reason_kept_in_the_history(
    token_client, province_officer, school, decisions
):
    client = token_client(province_officer)
    etag = client.get(_url(school, 2))["ETag"]
    response = client.patch(
        _url(school, 2),
        {"signer_name": "Lò Văn Ký", "reason": "Thiếu tên người ký"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    assert response.json()["signer_name"] == "Lò Văn Ký" and response["ETag"] == '"2"'
    assert response.json()["number"] == "2/QĐ-UBND"  # fields not sent keep their values
    last = RecognitionDecision.history.filter(id=decisions[1].pk).order_by("-history_id").first()
    assert last.history_change_reason == "Thiếu tên người ký"
    assert last.history_user == province_officer


def test_without_a_reason_is_400_in_vietnamese(token_client, province_officer, school, decisions):
    client = token_client(province_officer)
    etag = client.get(_url(school, 1))["ETag"]
    for body in ({"signer_name": "A"}, {"signer_name": "A", "reason": ""}):
        response = client.patch(_url(school, 1), body, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 400
        assert "lý do đính chính" in response.json()["reason"][0]
    refused = client.patch(
        _url(school, 1), {"level": 3, "reason": "Sai mức"}, format="json", HTTP_IF_MATCH=etag
    )
    assert refused.status_code == 400 and "Mức độ 1 hoặc Mức độ 2" in refused.json()["level"][0]
    assert RecognitionDecision.objects.get(pk=decisions[0].pk).version == 1


def test_a_stale_etag_is_409_and_none_is_428(token_client, province_officer, school, decisions):
    client = token_client(province_officer)
    etag = client.get(_url(school, 1))["ETag"]
    body = {"signer_name": "Người A", "reason": "Sai tên"}
    assert client.patch(_url(school, 1), body, format="json").status_code == 428
    assert client.patch(_url(school, 1), body, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = client.patch(
        _url(school, 1), {**body, "signer_name": "Người B"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 409
    assert RecognitionDecision.objects.get(pk=decisions[0].pk).signer_name == "Người A"


def test_an_outsider_gets_404_and_a_reader_403(
    token_client, outsider, principal, school, decisions
):
    body = {"signer_name": "X", "reason": "Sai"}
    outside = token_client(outsider)
    assert outside.get(_url(school, 1)).status_code == 404
    assert (
        outside.patch(_url(school, 1), body, format="json", HTTP_IF_MATCH='"1"').status_code == 404
    )
    reader = token_client(principal)
    assert (
        reader.patch(_url(school, 1), body, format="json", HTTP_IF_MATCH='"1"').status_code == 403
    )
    assert RecognitionDecision.objects.get(pk=decisions[0].pk).signer_name == ""


def test_recording_answers_with_the_address_of_the_new_decision(
    token_client, province_officer, school, decisions
):
    client = token_client(province_officer)
    data = {
        "kind": "accreditation",
        "number": "45/QĐ-SGDĐT",
        "signed_on": "2025-01-03",
        "signing_body": "Sở GD&ĐT Lai Châu",
        "level": 2,
    }
    created = client.post(
        reverse("api:v1_school_recognitions", args=[school.code]), data, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["entry"] == 3 and created["Location"] == _url(school, 3)
