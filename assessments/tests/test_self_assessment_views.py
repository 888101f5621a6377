"""The documents page of a self-assessment: downloads, background PDF with its table of
contents filled in, the prose editor (optimistic locking, read-only after submission, hostile
text), the command line, and outsiders refused everywhere."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from assessments import services as asm
from assessments.models import AssessmentProse
from documents import pdf
from documents.models import GeneratedDocument
from documents.tests.helpers import all_text, needs_soffice, open_docx
from evidence.demo import demo_assessment
from frameworks.services import framework_load_dir

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def principal(make_user, school):
    return make_user(Role.PRINCIPAL, school=school, username="ht_huoiluong")


@pytest.fixture
def assessment(db, principal, school):
    framework_load_dir()
    return demo_assessment(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    )


def page(pk):
    return reverse("documents:assessment", args=[pk])


def generate(pk, kind):
    return reverse("documents:assessment_generate", args=[pk, kind])


def prose_url(pk):
    return reverse("documents:assessment_prose", args=[pk])


def test_the_page_lists_the_documents_and_the_checks(client, principal, assessment):
    client.force_login(principal)
    body = client.get(page(assessment.pk)).content.decode()
    for words in (
        "Quyết định thành lập Hội đồng tự đánh giá",
        "Kế hoạch tự đánh giá",
        "Phiếu đánh giá tiêu chí",
        "Báo cáo tự đánh giá",
        "Danh mục mã minh chứng",
        "Kiểm tra trước khi in",
    ):
        assert words in body, words
    assert "Biểu 2" not in body  # TT17-2018 has no improvement form


def test_the_principal_downloads_the_report_and_its_excel(client, principal, assessment):
    client.force_login(principal)
    response = client.post(
        generate(assessment.pk, "sa-report"), {"fmt": "docx", "date": "2025-05-20"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-tu-danh-gia')
    text = all_text(open_docx(response.content))
    assert "Phong Thổ, ngày 20 tháng 5 năm 2025" in text
    response = client.post(generate(assessment.pk, "sa-report"), {"fmt": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_a_commune_officer_in_scope_prints_but_does_not_write(
    client, make_user, commune, assessment
):
    officer = make_user(Role.COMMUNE_OFFICER, unit=commune)
    client.force_login(officer)
    assert client.post(generate(assessment.pk, "sa-sheets"), {"fmt": "docx"}).status_code == 200
    body = client.get(prose_url(assessment.pk)).content.decode()
    assert "Bạn chỉ xem" in body
    # In scope without the right: 403 (issue 18), not 404.
    assert client.post(prose_url(assessment.pk), {"version": "1"}).status_code == 403


def test_a_bad_criterion_keeps_the_page_and_says_why(client, principal, assessment):
    client.force_login(principal)
    response = client.post(
        generate(assessment.pk, "sa-sheets"), {"fmt": "docx", "criterion": "9.9"}, follow=True
    )
    assert "không có tiêu chí “9.9”" in response.content.decode()


@pytest.mark.parametrize("kind", ["sa-report", "sa-decision", "nonexistent", "statistics"])
def test_it_rejects_outsider(client, make_user, other_commune, assessment, kind):
    client.force_login(make_user(Role.COMMUNE_OFFICER, unit=other_commune))
    assert client.get(page(assessment.pk)).status_code == 404
    assert client.post(generate(assessment.pk, kind), {"fmt": "docx"}).status_code == 404
    assert client.get(prose_url(assessment.pk)).status_code == 404
    assert client.post(prose_url(assessment.pk), {"version": "1"}).status_code == 404


def test_a_sibling_school_principal_gets_404(client, make_user, sibling_school, assessment):
    client.force_login(make_user(Role.PRINCIPAL, school=sibling_school))
    assert client.get(page(assessment.pk)).status_code == 404
    assert client.post(generate(assessment.pk, "sa-report"), {"fmt": "docx"}).status_code == 404


def test_anonymous_is_sent_to_login(client, assessment):
    response = client.get(page(assessment.pk))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def _prose_post(version, **texts):
    return {"version": str(version), **texts}


def test_the_principal_writes_the_prose_and_the_report_prints_it(client, principal, assessment):
    client.force_login(principal)
    version = AssessmentProse.objects.get(assessment=assessment).version
    response = client.post(
        prose_url(assessment.pk),
        _prose_post(
            version,
            context="Trường nằm ở vùng cao, 04 điểm trường.\nHọc sinh 100% dân tộc thiểu số.",
            conclusion=f"Kết luận {HOSTILE}",
            **{"cond-cohort_completed": "on"},
        ),
    )
    assert response.status_code == 302
    saved = AssessmentProse.objects.get(assessment=assessment)
    assert saved.version == version + 1
    text = all_text(
        open_docx(client.post(generate(assessment.pk, "sa-report"), {"fmt": "docx"}).content)
    )
    assert "Trường nằm ở vùng cao, 04 điểm trường." in text
    assert f"Kết luận {HOSTILE}" in text  # printed as text, never interpreted
    body = client.get(prose_url(assessment.pk)).content.decode()
    assert HOSTILE not in body and "&lt;script&gt;" in body
    change = assessment.changes.filter(field="van_ban.context").first()
    assert change is not None and change.user == principal


def test_two_sessions_cannot_overwrite_each_other_s_prose(principal, assessment):
    first, second = Client(), Client()
    first.force_login(principal)
    second.force_login(principal)
    version = AssessmentProse.objects.get(assessment=assessment).version
    assert (
        first.post(prose_url(assessment.pk), _prose_post(version, context="Bản A")).status_code
        == 302
    )
    response = second.post(prose_url(assessment.pk), _prose_post(version, context="Bản B"))
    body = response.content.decode()
    assert response.status_code == 409  # conflicts answer 409 on every edit form
    assert "đã được người khác cập nhật" in body and "Bản B" in body
    assert AssessmentProse.objects.get(assessment=assessment).texts["context"] == "Bản A"


def test_the_prose_is_read_only_once_submitted(client, principal, assessment):
    asm.assessment_submit(user=principal, assessment=assessment)
    client.force_login(principal)
    assert "Bạn chỉ xem" in client.get(prose_url(assessment.pk)).content.decode()
    version = AssessmentProse.objects.get(assessment=assessment).version
    assert (
        client.post(prose_url(assessment.pk), _prose_post(version, context="X")).status_code == 404
    )


@needs_soffice
def test_the_report_pdf_is_made_in_the_background_with_its_table_of_contents(
    client, principal, make_user, other_commune, assessment, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(principal)
    response = client.post(generate(assessment.pk, "sa-report"), {"fmt": "pdf"})
    job = GeneratedDocument.objects.get()
    assert response.url == reverse("documents:job", args=[job.pk])
    assert job.status == GeneratedDocument.Status.DONE, job.error
    data = b"".join(
        client.get(reverse("documents:job_file", args=[job.pk, "pdf"])).streaming_content
    )
    target = tmp_path / "bc.pdf"
    target.write_bytes(data)
    toc = subprocess.run(
        ["pdftotext", "-f", "3", "-l", "3", "-layout", str(target), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The table of contents was computed by LibreOffice: headings with page numbers.
    assert "MỤC LỤC" in unicodedata.normalize("NFC", toc)
    assert any(
        line.rstrip()[-2:].strip().isdigit()
        and "Tiêu chí 1.1" in unicodedata.normalize("NFC", line)
        for line in toc.splitlines()
    )
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert unicodedata.is_normalized("NFC", text), "PDF text is not NFC"
    assert "Trường PTDTBT TH Huổi Luông" in text and "Kết luận về Tiêu chuẩn 5" in text
    client.force_login(make_user(Role.COMMUNE_OFFICER, unit=other_commune))
    assert client.get(reverse("documents:job_file", args=[job.pk, "pdf"])).status_code == 404


def run(*args):
    out = io.StringIO()
    call_command("export_document", *args, stdout=out)
    return out.getvalue()


def test_every_document_from_the_command_line(tmp_path, assessment):
    for kind in ("sa-decision", "sa-plan", "sa-sheets", "sa-report", "sa-catalogue"):
        target = tmp_path / f"{kind}.docx"
        assert "Đã ghi" in run(kind, "--assessment", str(assessment.pk), "--output", str(target))
        assert target.read_bytes()[:2] == b"PK"
    target = tmp_path / "one.docx"
    run(
        "sa-sheets",
        "--assessment",
        str(assessment.pk),
        "--criterion",
        "2.1",
        "--output",
        str(target),
    )
    assert "Tiêu chí 2.1:" in all_text(open_docx(target.read_bytes()))
    run(
        "sa-report",
        "--assessment",
        str(assessment.pk),
        "--format",
        "xlsx",
        "--output",
        str(tmp_path / "r.xlsx"),
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--assessment", "999999"], "Không tìm thấy đợt tự đánh giá #999999"),
        (["--criterion", "9.9"], "không có tiêu chí “9.9”"),
        (["--user", "xa_khac"], "trong phạm vi của bạn"),
        ([], ""),
    ],
)
def test_the_command_refuses_with_exit_status_2(
    tmp_path, make_user, other_commune, assessment, args, message
):
    make_user(Role.COMMUNE_OFFICER, unit=other_commune, username="xa_khac")
    base = ["sa-sheets", "--output", str(tmp_path / "x.docx")]
    if "--assessment" not in args:
        base += ["--assessment", str(assessment.pk)] if args else []
    with pytest.raises(CommandError) as exc:
        run(*base, *args)
    assert exc.value.returncode == 2
    assert message in str(exc.value)


def test_without_libreoffice_the_pdf_button_says_how_to_enable_it(
    client, principal, assessment, monkeypatch
):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    client.force_login(principal)
    assert "libreoffice-writer-nogui" in client.get(page(assessment.pk)).content.decode()
    response = client.post(generate(assessment.pk, "sa-report"), {"fmt": "pdf"}, follow=True)
    assert "libreoffice-writer-nogui" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_the_documents_index_lists_assessments_in_scope(
    client, principal, make_user, other_commune, assessment
):
    client.force_login(principal)
    body = client.get(reverse("documents:index")).content.decode()
    assert page(assessment.pk) in body
    client.force_login(make_user(Role.COMMUNE_OFFICER, unit=other_commune))
    response = client.get(reverse("documents:index"))
    assert page(assessment.pk) not in response.content.decode()


def test_the_assessment_page_links_to_its_documents(client, principal, assessment):
    client.force_login(principal)
    body = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert page(assessment.pk) in body
    assert reverse("schools:year_data", args=[assessment.school.code]) in body
