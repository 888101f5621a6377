"""Marking public (services, permission, audit) and the public pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from publication import services
from publication.models import Publication, PublicationKind
from publication.tests.conftest import ACTION_TEXT
from recognition.models import RecognitionDecision

pytestmark = pytest.mark.django_db

SA = PublicationKind.SELF_ASSESSMENT
PLAN = PublicationKind.IMPROVEMENT_PLAN
EE = PublicationKind.EXTERNAL_EVALUATION


def test_a_draft_self_assessment_cannot_be_published(principal, school, assessment):
    with pytest.raises(services.PublicationRefused, match="Chưa có báo cáo tự đánh giá"):
        services.publication_publish(user=principal, school=school, kind=SA)
    assert not Publication.objects.exists()


def test_principal_publishes_the_submitted_summary_and_it_is_audited(principal, school, submitted):
    pub = services.publication_publish(user=principal, school=school, kind=SA)
    assert pub.content["school_year"] == "2024-2025"
    assert pub.content["standards"][0]["criteria"][0]["code"] == "1.1"
    assert pub.history.count() == 1 and pub.history.first().history_user == principal


def test_managing_officer_may_publish_but_not_an_outsider_or_staff(
    commune_officer, outsider, make_user, school, submitted
):
    services.publication_publish(user=commune_officer, school=school, kind=PLAN)
    staff = make_user("staff", school=school)
    for user in (outsider, staff):
        with pytest.raises(services.NotAllowed):
            services.publication_publish(user=user, school=school, kind=SA)


def test_publishing_again_replaces_and_withdrawal_needs_a_reason(principal, school, submitted):
    first = services.publication_publish(user=principal, school=school, kind=SA)
    second = services.publication_publish(user=principal, school=school, kind=SA)
    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    with pytest.raises(services.PublicationRefused, match="lý do"):
        services.publication_withdraw(user=principal, publication=second, reason="  ")
    services.publication_withdraw(user=principal, publication=second, reason="Sai số liệu")
    assert not Publication.objects.filter(withdrawn_at__isnull=True).exists()
    assert second.history.first().history_change_reason == "Sai số liệu"


def test_external_evaluation_needs_a_final_report(principal, school, submitted):
    with pytest.raises(services.PublicationRefused, match="đánh giá ngoài"):
        services.publication_publish(user=principal, school=school, kind=EE)


def test_public_school_page_needs_no_login_and_is_cacheable(client, school, submitted, decision):
    response = client.get(reverse("publication:school", args=[school.code]))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    body = response.content.decode()
    assert school.name in body and "Mức độ 1" in body and "123/QĐ-UBND" in body
    assert "06/05/2028" in body  # valid 5 years (TT17-2018 data)
    assert reverse("accounts:login") not in body and "csrfmiddlewaretoken" not in body


def test_public_school_page_shows_published_plan_without_the_responsible_person(
    client, principal, school, submitted
):
    services.publication_publish(user=principal, school=school, kind=PLAN)
    body = client.get(reverse("publication:school", args=[school.code])).content.decode()
    assert ACTION_TEXT in body and "05/01/2025" in body
    assert "Cô Lò Thị Bí Mật" not in body


def test_unknown_school_or_province_is_404(client):
    assert client.get(reverse("publication:school", args=["NOPE"])).status_code == 404
    assert client.get(reverse("publication:province", args=["P99"])).status_code == 404


def test_province_list_filters_standard_schools(
    client, province, school, sibling_school, outside_school, decision
):
    today = dt.date.today()
    RecognitionDecision.objects.create(
        school=sibling_school,
        kind="standard_new",
        signed_on=today - dt.timedelta(days=30),
        level=2,
        number="9/QĐ",
        signing_body="Sở",
    )
    RecognitionDecision.objects.create(
        school=outside_school,
        kind="standard_new",
        signed_on=today - dt.timedelta(days=30),
        level=2,
        number="10/QĐ",
        signing_body="Sở",
    )
    url = reverse("publication:province", args=[province.uid])
    body = client.get(url).content.decode()
    assert school.name in body  # 2023 decision, valid until 2028
    assert sibling_school.name in body and outside_school.name not in body
    only_level_1 = client.get(url + "?level=1").content.decode()
    assert sibling_school.name not in only_level_1
    by_kind = client.get(url + "?kind=THCS").content.decode()
    assert sibling_school.name in by_kind and school.name not in by_kind
    long = client.get(url + "?validity=long").content.decode()
    assert sibling_school.name in long
    elsewhere = client.get(url + "?commune=W11203").content.decode()
    assert sibling_school.name not in elsewhere


def test_manage_page_publishes_through_a_post(client, principal, school, submitted):
    client.force_login(principal)
    url = reverse("publication:manage", args=[school.code])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "publish", "kind": SA})
    assert response.status_code == 302
    assert Publication.objects.filter(kind=SA, withdrawn_at__isnull=True).count() == 1
    assert client.post(url, {"action": "publish", "kind": EE}).status_code == 400
    assert client.post(url, {"action": "nonsense"}).status_code == 400
