"""The external evaluation documents: each kind builds from the data, passes the document
check, says what it must; the command line refuses an unknown id or one out of scope."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from documents import check, pdf
from documents.common import DocumentError, DocumentRequest, SystemUser
from documents.registry import build_docx
from documents.tests.helpers import needs_soffice
from documents.tests.test_demo_documents import _families
from evaluation.documents import data as ee_data
from evaluation.documents.report import divergence
from evaluation.documents.tests.conftest import make_evaluation
from evaluation.models import TeamMember
from recognition.models import RecognitionDecision

KINDS = ("ee-registration", "ee-team-decision", "ee-report", "recognition-decision")

pytestmark = pytest.mark.django_db


def _text(blob: bytes) -> str:
    doc = Document(io.BytesIO(blob))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _build(kind: str, evaluation, user=None, **header) -> bytes:
    req = DocumentRequest(
        user=user or SystemUser(), kind=kind, evaluation=str(evaluation), header=header
    )
    return build_docx(req)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_passes_the_document_check(evaluation, kind):
    blob = _build(kind, evaluation.pk)
    assert [str(f) for f in check.scan_docx(blob)] == []


def test_report_has_the_heading_the_school_and_the_team_levels(evaluation):
    text = _text(_build("ee-report", evaluation.pk))
    assert "BÁO CÁO ĐÁNH GIÁ NGOÀI" in text and evaluation.school.name in text
    assert "PHẦN II. ĐÁNH GIÁ THEO TIÊU CHUẨN, TIÊU CHÍ" in text
    assert "Nhà trường tự đánh giá: Đạt Mức 3. Đoàn đánh giá ngoài đánh giá: Đạt Mức 2." in text
    assert "Chưa có minh chứng về kết quả." in text  # the team's reason
    assert "Nguyễn Văn Trưởng" in text and "TRƯỞNG ĐOÀN" in text
    # One criterion lowered to Mức 2: the school is at Mức 2 → Cấp độ 2, Mức độ 1.
    assert "Cấp độ 2" in text and "Mức độ 1" in text
    assert "(Dự thảo)" not in text


def test_divergence_counts_raised_lowered_equal(evaluation):
    data = ee_data.load(evaluation)
    assert divergence(data) == (0, 1, 26)
    assert data.team.school_level == 2 and data.self_levels.school_level == 4


def test_registration_letter_lists_the_copies_and_goes_to_the_department(evaluation):
    text = _text(_build("ee-registration", evaluation.pk))
    assert "Kính gửi: Sở Giáo dục và Đào tạo tỉnh Lai Châu" in text
    assert "V/v đăng ký đánh giá ngoài" in text
    assert "(02 bản)" in text  # report_copies of TT17-2018's data
    assert "Lường Văn Hiệu" in text


def test_team_decision_lists_members_and_refuses_a_team_below_the_minimum(evaluation):
    text = _text(_build("ee-team-decision", evaluation.pk))
    assert "Thành lập Đoàn đánh giá ngoài" in text and "05 ông (bà)" in text
    assert "Trưởng đoàn" in text and "Thư ký" in text and "210/QĐ-SGDĐT" in text
    TeamMember.objects.filter(evaluation=evaluation, role="member").first().delete()
    with pytest.raises(DocumentError, match="ít nhất 05 thành viên"):
        _build("ee-team-decision", evaluation.pk)


def test_recognition_decision_signer_follows_the_setting(evaluation, settings):
    text = _text(_build("recognition-decision", evaluation.pk))
    assert "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH LAI CHÂU" in text
    assert "Cấp độ 2" in text and "Mức độ 1" in text and "05 năm" in text
    settings.RECOGNITION_DECISION_SIGNER = "chairman"
    text = _text(_build("recognition-decision", evaluation.pk))
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU" in text
    assert "Cấp độ 2" not in text and "Mức độ 1" in text


def test_recognition_decision_prints_the_proposed_then_the_recorded_levels(evaluation):
    # The team proposes Cấp độ 1 and Mức độ 1 (its level maps to Cấp độ 2, Mức độ 1).
    evaluation.proposal_level, evaluation.proposal_accreditation_level = 1, 1
    evaluation.final_snapshot = {"proposal_level": 1, "proposal_accreditation_level": 1}
    evaluation.save()
    text = _text(_build("recognition-decision", evaluation.pk))
    assert "Cấp độ 1" in text and "Cấp độ 2" not in text and "Mức độ 1" in text
    assert "đạt kiểm định chất lượng giáo dục và đạt chuẩn quốc gia" in text
    # Once signed, the register's rows: the Mức độ and the Cấp độ under one number.
    common = {"number": "9/QĐ-SGDĐT", "signed_on": dt.date(2025, 6, 2), "signing_body": "Sở"}
    evaluation.decision = RecognitionDecision.objects.create(
        school=evaluation.school, kind="standard_new", level=1, **common
    )
    evaluation.accreditation_decision = RecognitionDecision.objects.create(
        school=evaluation.school, kind="accreditation", level=2, **common
    )
    evaluation.save()
    text = _text(_build("recognition-decision", evaluation.pk))
    assert "Cấp độ 2" in text and "Mức độ 1" in text


def test_recognition_decision_lists_several_schools_and_refuses_a_draft_report(
    evaluation, sibling_school, make_user
):
    principal = make_user("principal", school=sibling_school)
    other = make_evaluation(sibling_school, principal, make_user, status="draft_report")
    with pytest.raises(DocumentError, match="chưa phải bản chính thức"):
        _build("recognition-decision", f"{evaluation.pk},{other.pk}")
    other.status = "final"
    other.save(update_fields=["status"])
    text = _text(_build("recognition-decision", f"{evaluation.pk},{other.pk}"))
    assert "Công nhận 02 trường" in text
    assert evaluation.school.name in text and sibling_school.name in text


def test_export_document_exits_2_for_unknown_or_out_of_scope(evaluation, outsider, tmp_path):
    out = tmp_path / "x.docx"
    with pytest.raises(CommandError) as unknown:
        call_command("export_document", "ee-report", "--evaluation", "999999", "--output", out)
    assert unknown.value.returncode == 2 and "Không tìm thấy đợt đánh giá ngoài" in str(
        unknown.value
    )
    with pytest.raises(CommandError) as outside:
        call_command(
            "export_document",
            "ee-report",
            "--evaluation",
            str(evaluation.pk),
            "--user",
            outsider.username,
            "--output",
            out,
        )
    assert outside.value.returncode == 2
    call_command(
        "export_document", "ee-report", "--evaluation", str(evaluation.pk), "--output", out
    )
    assert "BÁO CÁO ĐÁNH GIÁ NGOÀI" in _text(out.read_bytes())


@needs_soffice
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_prints_in_one_font_family(evaluation, kind, tmp_path):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) chưa cài")
    source = tmp_path / f"{kind}.docx"
    source.write_bytes(_build(kind, evaluation.pk))
    assert _families(pdf.docx_to_pdf(source)) == {"LiberationSerif"}
