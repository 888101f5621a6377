import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from recognition import rules, selectors
from recognition.models import RecognitionDecision
from recognition.tests.conftest import years_ago
from recognition.tests.test_services import PDF

LIST_VIEWS = ["register", "expiring", "expired", "levels", "forecast", "import"]


@pytest.fixture
def register(school, sibling_school, outside_school, today, add_decision):
    """Huổi Luông (commune) expiring in ~2 months; Dào San (sibling commune) expiring too;
    Ninh Giang (other province) expiring: three decisions with scans."""
    out = {}
    for s in (school, sibling_school, outside_school):
        d = add_decision(s, rules.STANDARD_NEW, years_ago(today, 5, -2), 1, number=f"QĐ-{s.code}")
        d.scan.save("scan.pdf", SimpleUploadedFile("scan.pdf", PDF), save=False)
        d.scan_name, d.scan_type = "qd.pdf", "application/pdf"
        d.save()
        out[s.code] = d
    return out


def _school_urls(school, decision):
    return [
        reverse("programme:school", args=[school.code]),
        reverse("programme:record", args=[school.code]),
        reverse("programme:file", args=[decision.pk]),
        reverse("programme:correct", args=[school.code, decision.pk]),
    ]


def test_outsider_gets_404_on_school_pages_and_file(client, outsider, school, register):
    client.force_login(outsider)
    for url in _school_urls(school, register[school.code]):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("programme:record", args=[school.code]), {}).status_code == 404
    correct = reverse("programme:correct", args=[school.code, register[school.code].pk])
    assert client.post(correct, {"number": "1", "reason": "x"}).status_code == 404


def test_outsider_gets_404_when_filtering_on_units_outside_scope(
    client, outsider, province, commune, register
):
    client.force_login(outsider)
    for name in LIST_VIEWS[:5]:
        for param in (f"province={province.uid}", f"commune={commune.uid}"):
            assert client.get(f"{reverse('programme:' + name)}?{param}").status_code == 404


def test_user_without_scope_gets_404_on_every_view(client, make_user, school, register):
    client.force_login(make_user())
    for name in LIST_VIEWS:
        assert client.get(reverse("programme:" + name)).status_code == 404, name
    assert client.get(reverse("programme:import_template")).status_code == 404
    assert client.post(reverse("programme:import_confirm"), {}).status_code == 404
    for url in _school_urls(school, register[school.code]):
        assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, school):
    response = client.get(reverse("programme:register"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_outsider_lists_show_nothing_of_other_province(client, outsider, school, register):
    client.force_login(outsider)
    for name in LIST_VIEWS[:5]:
        body = client.get(reverse("programme:" + name)).content.decode()
        assert school.name not in body, name
        if name in ("register", "expiring"):
            assert "Ninh Giang" in body  # their own school


def test_commune_officer_sees_only_their_schools(
    client, commune_officer, school, sibling_school, register
):
    client.force_login(commune_officer)
    for name in ("register", "expiring"):
        body = client.get(reverse("programme:" + name)).content.decode()
        assert school.name in body and sibling_school.name not in body, name
    for url in _school_urls(sibling_school, register[sibling_school.code]):
        assert client.get(url).status_code == 404
    assert client.get(reverse("programme:file", args=[register[school.code].pk])).status_code == 200


def test_province_officer_sees_all_communes(
    client, province_officer, school, sibling_school, register
):
    client.force_login(province_officer)
    body = client.get(reverse("programme:expiring")).content.decode()
    assert school.name in body and sibling_school.name in body
    assert "Ninh Giang" not in body


def test_file_download_is_scoped_and_typed(client, principal, school, register):
    client.force_login(principal)
    response = client.get(reverse("programme:file", args=[register[school.code].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


def test_principal_sees_register_but_cannot_record(client, principal, school, register):
    client.force_login(principal)
    assert client.get(reverse("programme:school", args=[school.code])).status_code == 200
    # The school is in the principal's scope: recording is refused with 403, not hidden.
    assert client.get(reverse("programme:record", args=[school.code])).status_code == 403


def test_school_register_page_shows_timeline_and_status(
    client, commune_officer, school, register, today
):
    client.force_login(commune_officer)
    body = client.get(reverse("programme:school", args=[school.code])).content.decode()
    d = register[school.code]
    assert d.number in body
    assert d.valid_until.strftime("%d/%m/%Y") in body
    assert "sắp hết hạn" in body


def _post(client, school, **kw):
    data = {
        "kind": rules.STANDARD_NEW,
        "level": "1",
        "number": "15/QĐ-UBND",
        "signed_on": "",
        "signing_body": "UBND tỉnh Lai Châu",
        "signer_title": "Chủ tịch",
        "signer_name": "Trần Văn B",
        "framework_code": "",
        "note": "Ghi chú của tôi",
    }
    data.update(kw)
    return client.post(reverse("programme:record", args=[school.code]), data)


def test_record_form_saves_and_redirects(client, commune_officer, school, today):
    client.force_login(commune_officer)
    pdf = SimpleUploadedFile("qd.pdf", PDF)
    response = _post(client, school, signed_on=today.strftime("%d/%m/%Y"), scan=pdf)
    assert response.status_code == 302
    d = RecognitionDecision.objects.get(school=school)
    assert d.scan and d.signing_body == "UBND tỉnh Lai Châu"
    school.refresh_from_db()
    assert school.standard_level == 1


def test_failed_form_keeps_what_was_typed(client, commune_officer, school, today):
    client.force_login(commune_officer)
    response = _post(
        client, school, kind=rules.STANDARD_UPGRADE, level="2", signed_on=today.strftime("%d/%m/%Y")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Nâng mức cần trường đang đạt chuẩn Mức độ 1" in body
    assert "Ghi chú của tôi" in body and "Trần Văn B" in body and "15/QĐ-UBND" in body
    assert not RecognitionDecision.objects.exists()


def test_bad_file_gives_clear_message(client, commune_officer, school, today):
    client.force_login(commune_officer)
    exe = SimpleUploadedFile("qd.pdf", b"MZ\x90\x00\x03\x00", content_type="application/pdf")
    response = _post(client, school, signed_on=today.strftime("%d/%m/%Y"), scan=exe)
    body = response.content.decode()
    assert response.status_code == 400
    assert "PDF, JPG hoặc PNG" in body and "chọn lại tệp" in body
    assert not RecognitionDecision.objects.exists()


def test_bad_date_message(client, commune_officer, school):
    client.force_login(commune_officer)
    response = _post(client, school, signed_on="31/02/2024")
    assert "dd/mm/yyyy" in response.content.decode()


def test_expiring_list_months_param_and_deadline(
    client, province_officer, school, sibling_school, add_decision, today
):
    add_decision(school, rules.STANDARD_NEW, years_ago(today, 5, -2), 1)  # ends in 2 months
    add_decision(sibling_school, rules.STANDARD_NEW, years_ago(today, 5, -8), 2)  # ends in 8
    client.force_login(province_officer)
    body = client.get(reverse("programme:expiring") + "?months=3").content.decode()
    assert school.name in body and sibling_school.name not in body
    deadline = rules.renewal_deadline(rules.add_years(years_ago(today, 5, -2), 5))
    assert deadline.strftime("%d/%m/%Y") in body
    body = client.get(reverse("programme:expiring")).content.decode()
    assert sibling_school.name in body


def test_expired_revoked_levels_and_forecast(
    client, province_officer, school, sibling_school, add_decision, today
):
    add_decision(school, rules.STANDARD_NEW, years_ago(today, 6), 1)  # expired a year ago
    add_decision(sibling_school, rules.STANDARD_NEW, years_ago(today, 1), 2)
    client.force_login(province_officer)
    body = client.get(reverse("programme:expired")).content.decode()
    assert school.name in body and sibling_school.name not in body
    body = client.get(reverse("programme:levels") + "?level=2").content.decode()
    assert sibling_school.name in body and school.name not in body
    body = client.get(reverse("programme:levels") + "?level=0").content.decode()
    assert school.name in body
    response = client.get(reverse("programme:forecast"))
    years = response.context["years"]
    assert len(years) == 6
    expiry_year = rules.add_years(years_ago(today, 1), 5).year
    assert sum(y.standard_2 for y in years if y.year == expiry_year) == 1


def test_register_list_filters(
    client, province_officer, school, sibling_school, add_decision, commune
):
    add_decision(school, rules.ACCREDITATION, dt.date(2019, 4, 1), 2, number="A-1")
    add_decision(sibling_school, rules.STANDARD_NEW, dt.date(2021, 4, 1), 1, number="B-1")
    client.force_login(province_officer)
    url = reverse("programme:register")
    body = client.get(url + f"?kind={rules.ACCREDITATION}").content.decode()
    assert "A-1" in body and "B-1" not in body
    body = client.get(url + "?year=2021").content.decode()
    assert "B-1" in body and "A-1" not in body
    body = client.get(url + f"?province=P12&commune={commune.uid}").content.decode()
    assert "A-1" in body and "B-1" not in body
    body = client.get(url + "?level=1").content.decode()
    assert "B-1" in body and "A-1" not in body


@pytest.mark.parametrize("offset_days", [-1, 0, 1])
def test_sql_lists_agree_with_rules(
    province_officer, school, sibling_school, add_decision, today, offset_days
):
    """The SQL status lists and recognition.rules give the same answer at the expiry boundary."""
    add_decision(school, rules.STANDARD_NEW, years_ago(today, 5), 1)
    add_decision(sibling_school, rules.STANDARD_NEW, years_ago(today, 3), 1)
    add_decision(sibling_school, rules.REVOCATION, years_ago(today, 1))
    on = today + dt.timedelta(days=offset_days)
    for s in (school, sibling_school):
        status = rules.school_status(RecognitionDecision.objects.filter(school=s), on)
        on_list = {
            "level1": selectors.by_level(user=province_officer, on=on, level=1).filter(school=s),
            "expired": selectors.expired(user=province_officer, on=on).filter(school=s),
            "revoked": selectors.revoked(user=province_officer, on=on).filter(school=s),
            "expiring": selectors.expiring(user=province_officer, on=on, months=12).filter(
                school=s
            ),
            "not_standard": selectors.not_standard(user=province_officer, on=on).filter(pk=s.pk),
        }
        expected = {
            "level1": status.standard_level == 1,
            "expired": status.expired,
            "revoked": status.revoked,
            "expiring": status.expiring,
            "not_standard": status.standard_level == 0,
        }
        assert {k: q.exists() for k, q in on_list.items()} == expected, s.code


def test_go_record_leads_to_scoped_form(client, outsider, commune_officer, school):
    url = reverse("programme:go_record") + f"?code={school.code}"
    client.force_login(outsider)
    assert client.get(url, follow=True).status_code == 404
    client.force_login(commune_officer)
    assert client.get(url, follow=True).status_code == 200
