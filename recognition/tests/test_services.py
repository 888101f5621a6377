import datetime as dt
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recognition import rules
from recognition.models import RecognitionDecision
from recognition.services import (
    DecisionRejected,
    NotAllowed,
    recognition_record,
    refresh_standard_levels,
)
from recognition.tests.conftest import years_ago

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def data(**kw):
    base = {
        "kind": rules.STANDARD_NEW,
        "number": "1234/QĐ-SGDĐT",
        "signed_on": dt.date(2024, 5, 6),
        "signing_body": "Sở GD&ĐT Lai Châu",
        "signer_title": "Giám đốc",
        "signer_name": "Nguyễn Văn A",
        "level": 1,
        "framework_code": "",
        "note": "",
    }
    base.update(kw)
    return base


def test_record_refreshes_cached_standard_level(province_officer, school, today):
    d = recognition_record(
        user=province_officer, school=school, data=data(signed_on=years_ago(today, 1))
    )
    school.refresh_from_db()
    assert school.standard_level == 1
    assert d.valid_until == rules.add_years(d.signed_on, 5)
    assert d.track == rules.TRACK_STANDARD
    assert d.created_by == province_officer
    # Framework chosen from the school kind (TH) and the date when left empty.
    assert d.framework_code in {"TT17-2018", "TT57-2026-PT"}


def test_revocation_sets_cache_back_to_zero(province_officer, school, today, add_decision):
    add_decision(school, rules.STANDARD_NEW, years_ago(today, 2), 2)
    school.standard_level = 2
    school.save()
    recognition_record(
        user=province_officer,
        school=school,
        data=data(kind=rules.REVOCATION, level=None, signed_on=today, number="99/QĐ-SGDĐT"),
    )
    school.refresh_from_db()
    assert school.standard_level == 0


def test_text_is_stored_nfc(province_officer, school, today):
    decomposed = unicodedata.normalize("NFD", "Sở GD&ĐT Lai Châu")
    d = recognition_record(
        user=province_officer,
        school=school,
        data=data(
            signing_body=decomposed, signed_on=today, number=unicodedata.normalize("NFD", "5/QĐ")
        ),
    )
    d.refresh_from_db()
    assert d.signing_body == unicodedata.normalize("NFC", "Sở GD&ĐT Lai Châu")
    assert d.number == "5/QĐ"


def test_upgrade_too_early_is_rejected_with_message(province_officer, school, today, add_decision):
    add_decision(school, rules.STANDARD_NEW, years_ago(today, 0, 6), 1)
    with pytest.raises(DecisionRejected) as exc:
        recognition_record(
            user=province_officer,
            school=school,
            data=data(kind=rules.STANDARD_UPGRADE, level=2, signed_on=today, number="7/QĐ"),
        )
    assert "Chưa đủ thời gian tối thiểu" in exc.value.errors["signed_on"][0]
    assert RecognitionDecision.objects.filter(school=school).count() == 1


def test_renewal_without_previous_is_rejected(province_officer, school, today):
    with pytest.raises(DecisionRejected) as exc:
        recognition_record(
            user=province_officer,
            school=school,
            data=data(kind=rules.STANDARD_RENEWAL, signed_on=today),
        )
    assert "Công nhận lại cần" in exc.value.errors["kind"][0]
    assert not RecognitionDecision.objects.exists()


def test_revocation_without_recognition_is_rejected(province_officer, school, today):
    with pytest.raises(DecisionRejected) as exc:
        recognition_record(
            user=province_officer,
            school=school,
            data=data(kind=rules.REVOCATION, level=None, signed_on=today),
        )
    assert "Không thể thu hồi" in exc.value.errors["kind"][0]


def test_duplicate_number_and_date_rejected(province_officer, school, today, add_decision):
    add_decision(school, rules.ACCREDITATION, today, 2, number="1234/QĐ-SGDĐT")
    with pytest.raises(DecisionRejected) as exc:
        recognition_record(
            user=province_officer,
            school=school,
            data=data(kind=rules.ACCREDITATION, level=2, signed_on=today),
        )
    assert "đã có trong sổ" in exc.value.errors["number"][0]


def test_unknown_framework_rejected(province_officer, school, today):
    with pytest.raises(DecisionRejected) as exc:
        recognition_record(
            user=province_officer,
            school=school,
            data=data(signed_on=today, framework_code="TT99-2030"),
        )
    assert "TT99-2030" in exc.value.errors["framework_code"][0]


def test_scan_checked_by_content(province_officer, school, today):
    fake = SimpleUploadedFile("qd.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DecisionRejected) as exc:
        recognition_record(
            user=province_officer, school=school, data=data(signed_on=today, scan=fake)
        )
    assert "PDF, JPG hoặc PNG" in exc.value.errors["scan"][0]
    good = SimpleUploadedFile("Quyết định ../../x.pdf", PDF, content_type="text/plain")
    d = recognition_record(
        user=province_officer, school=school, data=data(signed_on=today, scan=good)
    )
    assert d.scan.name.startswith(f"recognitions/{school.pk}/") and d.scan.name.endswith(".pdf")
    assert d.scan_type == "application/pdf"
    assert "/" not in d.scan_name


def test_scan_size_limit(province_officer, school, today, settings):
    settings.RECOGNITION_SCAN_MAX_BYTES = 100
    big = SimpleUploadedFile("qd.pdf", PDF + b"0" * 200)
    with pytest.raises(DecisionRejected) as exc:
        recognition_record(
            user=province_officer, school=school, data=data(signed_on=today, scan=big)
        )
    assert "quá lớn" in exc.value.errors["scan"][0]


def test_outsider_and_principal_cannot_record(outsider, principal, school, today):
    for user in (outsider, principal):
        with pytest.raises(NotAllowed):
            recognition_record(user=user, school=school, data=data(signed_on=today))


def test_commune_officer_records_by_default_but_setting_can_forbid(
    commune_officer, school, today, settings
):
    recognition_record(user=commune_officer, school=school, data=data(signed_on=today))
    settings.RECOGNITION_RECORDERS = ["province_officer"]
    del commune_officer._tc_recorder_paths
    with pytest.raises(NotAllowed):
        recognition_record(
            user=commune_officer,
            school=school,
            data=data(kind=rules.ACCREDITATION, level=1, signed_on=today, number="2/QĐ"),
        )


def test_refresh_handles_expiry_without_writes(school, sibling_school, today, add_decision):
    add_decision(school, rules.STANDARD_NEW, years_ago(today, 5, 1), 1)  # lapsed a month ago
    add_decision(sibling_school, rules.STANDARD_NEW, years_ago(today, 1), 2)
    school.standard_level = 1
    school.save()
    assert refresh_standard_levels(today=today) == 2
    school.refresh_from_db()
    sibling_school.refresh_from_db()
    assert (school.standard_level, sibling_school.standard_level) == (0, 2)
