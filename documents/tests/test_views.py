import io

import openpyxl
from django.urls import reverse

from documents import pdf
from documents.models import GeneratedDocument
from documents.tests.helpers import all_text, needs_soffice, open_docx
from programme.models import ReportDraft


def post_generate(client, kind, follow=False, **data):
    return client.post(reverse("documents:generate", args=[kind]), data, follow=follow)


def test_index_lists_the_kinds(client, commune_officer, commune):
    client.force_login(commune_officer)
    response = client.get(reverse("documents:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Thống kê trường đạt chuẩn theo cấp học" in body and commune.uid in body


def test_user_without_scope_gets_404(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("documents:index")).status_code == 404
    assert post_generate(client, "statistics", unit="P12", fmt="docx").status_code == 404


def test_docx_and_xlsx_download_directly(client, commune_officer, commune, nine_schools):
    client.force_login(commune_officer)
    response = post_generate(
        client, "statistics", unit=commune.uid, fmt="docx", on="2024-06-30", period="H1"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.docx"')
    assert "55,56%" in all_text(open_docx(response.content))
    response = post_generate(
        client, "statistics", unit=commune.uid, fmt="xlsx", on="2024-06-30", period="H1"
    )
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Theo cấp học" in wb.sheetnames


def test_outsider_gets_404_for_a_unit_or_plan_outside_scope(client, outsider, commune, seed000):
    client.force_login(outsider)
    assert post_generate(client, "statistics", unit=commune.uid, fmt="docx").status_code == 404
    assert post_generate(client, "plan", plan=seed000.pk, fmt="docx").status_code == 404
    url = reverse("documents:report_draft") + f"?unit={commune.uid}&year=2021&period=H1"
    assert client.get(url).status_code == 404
    assert client.get(reverse("documents:plan_draft", args=[seed000.pk])).status_code == 404


def test_unknown_kind_is_404(client, commune_officer):
    client.force_login(commune_officer)
    assert post_generate(client, "nope", fmt="docx").status_code == 404


def test_missing_libreoffice_is_explained_on_the_page(
    client, commune_officer, commune, monkeypatch
):
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    client.force_login(commune_officer)
    response = post_generate(client, "statistics", unit=commune.uid, fmt="pdf", follow=True)
    assert "libreoffice-writer-nogui" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


@needs_soffice
def test_pdf_job_runs_and_only_its_owner_downloads(
    client, commune_officer, outsider, commune, nine_schools
):
    client.force_login(commune_officer)
    response = post_generate(client, "statistics", unit=commune.uid, fmt="pdf")
    job = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response.url == reverse("documents:job", args=[job.pk])
    assert job.status == GeneratedDocument.Status.DONE, job.error
    assert job.progress == 100 and job.owner == commune_officer
    page = client.get(reverse("documents:job", args=[job.pk])).content.decode()
    assert reverse("documents:job_file", args=[job.pk, "pdf"]) in page
    assert "job_progress" not in page and "every 2s" not in page  # finished: no more polling
    pdf_response = client.get(reverse("documents:job_file", args=[job.pk, "pdf"]))
    assert pdf_response.status_code == 200
    assert b"".join(pdf_response.streaming_content).startswith(b"%PDF")

    client.force_login(outsider)
    for url in (
        reverse("documents:job", args=[job.pk]),
        reverse("documents:job_progress", args=[job.pk]),
        reverse("documents:job_file", args=[job.pk, "pdf"]),
        reverse("documents:job_file", args=[job.pk, "docx"]),
    ):
        assert client.get(url).status_code == 404, url


def test_progress_fragment_polls_while_running(client, commune_officer):
    job = GeneratedDocument.objects.create(
        owner=commune_officer, kind="statistics", title="Thống kê", status="running", progress=50
    )
    client.force_login(commune_officer)
    body = client.get(reverse("documents:job_progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in body and "50%" in body


def test_failed_job_shows_its_error(commune_officer, outsider, commune):
    from documents.services import generated_document_run

    job = GeneratedDocument.objects.create(
        owner=outsider, kind="statistics", params={"unit": commune.uid}
    )
    generated_document_run(document_id=job.pk)
    job.refresh_from_db()
    assert job.status == GeneratedDocument.Status.FAILED
    assert "phạm vi" in job.error


def test_commune_officer_edits_report_prose(client, commune_officer, commune):
    client.force_login(commune_officer)
    url = reverse("documents:report_draft") + f"?unit={commune.uid}&year=2021&period=H1"
    assert client.get(url).status_code == 200
    response = client.post(url, {"leadership": "Ủy ban nhân dân xã đã chỉ đạo sát sao."})
    assert response.status_code == 302
    draft = ReportDraft.objects.get()
    assert draft.texts["leadership"] == "Ủy ban nhân dân xã đã chỉ đạo sát sao."
    assert (draft.unit, draft.year, draft.period) == (commune, 2021, "H1")


def test_principal_cannot_edit_unit_prose(client, principal, commune):
    client.force_login(principal)
    url = reverse("documents:report_draft") + f"?unit={commune.uid}&year=2021&period=H1"
    assert client.get(url).status_code == 404


def test_plan_prose_editor_saves(client, commune_officer, seed000):
    client.force_login(commune_officer)
    url = reverse("documents:plan_draft", args=[seed000.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"purpose": "Cụ thể hóa các mục tiêu.", "basis": "Căn cứ Đề án."})
    draft = ReportDraft.objects.get(kind="plan")
    assert draft.plan_id == seed000.pk and draft.texts["purpose"] == "Cụ thể hóa các mục tiêu."
