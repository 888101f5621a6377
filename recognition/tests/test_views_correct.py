"""The register's correction page (Đính chính): who sees the link, the form keeps what was typed
on any refusal, a stale page is refused with the other person's change shown, and the page shows
the decision's corrections with their reasons."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from recognition import rules
from recognition.models import RecognitionDecision
from recognition.tests.conftest import years_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(school, add_decision, today):
    return add_decision(
        school, rules.STANDARD_NEW, years_ago(today, 1), 1, number="12/QĐ-SGDĐT", note=""
    )


def _url(decision):
    return reverse("programme:correct", args=[decision.school.code, decision.pk])


def _post(decision, **kw):
    values = {
        "kind": decision.kind,
        "level": str(decision.level or ""),
        "number": decision.number,
        "signed_on": decision.signed_on.strftime("%d/%m/%Y"),
        "signing_body": decision.signing_body,
        "signer_title": "",
        "signer_name": "",
        "framework_code": decision.framework_code,
        "note": "",
        "reason": "",
        "version": str(decision.version),
    }
    values.update(kw)
    return values


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_link_shows_only_for_who_may_correct(decision, commune_officer, principal):
    register = reverse("programme:school", args=[decision.school.code])
    assert _url(decision) in _client(commune_officer).get(register).content.decode()
    assert _url(decision) not in _client(principal).get(register).content.decode()


def test_it_rejects_outsider_with_404_and_a_reader_with_403(decision, outsider, principal):
    assert _client(outsider).get(_url(decision)).status_code == 404
    assert _client(outsider).post(_url(decision), _post(decision)).status_code == 404
    assert _client(principal).get(_url(decision)).status_code == 403
    assert _client(principal).post(_url(decision), _post(decision)).status_code == 403


def test_a_decision_of_another_school_is_404(decision, sibling_school, province_officer):
    url = reverse("programme:correct", args=[sibling_school.code, decision.pk])
    assert _client(province_officer).get(url).status_code == 404


def test_the_form_keeps_what_was_typed_when_the_reason_is_missing(decision, commune_officer):
    response = _client(commune_officer).post(
        _url(decision), _post(decision, number="13/QĐ-SGDĐT", signer_name="Lò Văn Tên")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Hãy ghi lý do đính chính" in body
    assert 'value="13/QĐ-SGDĐT"' in body and 'value="Lò Văn Tên"' in body
    assert RecognitionDecision.objects.get(pk=decision.pk).number == "12/QĐ-SGDĐT"


def test_a_refused_rule_keeps_the_typed_reason(decision, commune_officer):
    response = _client(commune_officer).post(
        _url(decision), _post(decision, level="3", reason="Sai mức")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Mức độ 1 hoặc Mức độ 2" in body and 'value="Sai mức"' in body


def test_a_correction_is_saved_and_its_reason_shown_in_the_history(decision, commune_officer):
    client = _client(commune_officer)
    response = client.post(
        _url(decision), _post(decision, number="13/QĐ-SGDĐT", reason="Nhầm số khi nhập sổ")
    )
    assert response.status_code == 302
    assert RecognitionDecision.objects.get(pk=decision.pk).number == "13/QĐ-SGDĐT"
    page = client.get(_url(decision)).content.decode()
    assert "Nhầm số khi nhập sổ" in page and "12/QĐ-SGDĐT" in page
    register = client.get(reverse("programme:school", args=[decision.school.code]))
    assert "Nhầm số khi nhập sổ" in register.content.decode()


def test_a_stale_page_is_refused_keeping_the_typed_values_and_showing_the_other(
    decision, commune_officer, province_officer
):
    first, second = _client(commune_officer), _client(province_officer)
    assert first.get(_url(decision)).status_code == 200
    assert second.get(_url(decision)).status_code == 200
    saved = first.post(_url(decision), _post(decision, signer_name="Người A", reason="Sai tên"))
    assert saved.status_code == 302
    refused = second.post(_url(decision), _post(decision, signer_name="Người B", reason="Sai"))
    body = refused.content.decode()
    assert refused.status_code == 409
    assert "người khác" in body and "Người B" in body and "Người A" in body
    assert RecognitionDecision.objects.get(pk=decision.pk).signer_name == "Người A"
    # Saving again from the refused page (it carries the current version) goes through.
    version = re.search(r'name="version" value="(\d+)"', body).group(1)
    again = second.post(
        _url(decision), _post(decision, signer_name="Người B", reason="Sai", version=version)
    )
    assert again.status_code == 302
    assert RecognitionDecision.objects.get(pk=decision.pk).signer_name == "Người B"


def test_no_emptied_field_answers_a_server_error(decision, commune_officer):
    client = _client(commune_officer)
    base = _post(decision, signer_name="X", reason="Sai tên")
    for name in base:
        fresh = RecognitionDecision.objects.get(pk=decision.pk)
        response = client.post(_url(decision), {**base, name: "", "version": str(fresh.version)})
        assert response.status_code < 500, name
