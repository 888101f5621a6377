"""Issue 17 §2: the document check is the pre-print check the user sees. The rules of
`documents.check` run on the texts the self-assessment documents are made of (no document is
rendered on a page view); each item says in Vietnamese what is wrong and links to where the text
is written, on the documents page and in the "Nộp báo cáo" dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Role
from assessments.documents import checks
from assessments.documents import data as sa_data
from assessments.models import AssessmentProse, RequirementText
from documents import check as document_check
from documents import registry
from documents.common import DocumentRequest
from evidence.demo import demo_assessment
from frameworks.models import Indicator
from frameworks.services import framework_load_dir

pytestmark = pytest.mark.django_db

ENGLISH = "The school has met all of the requirements for this level"


@pytest.fixture
def principal(make_user, school):
    return make_user(Role.PRINCIPAL, school=school, username="ht_huoiluong")


@pytest.fixture
def demo(db, principal, school):
    framework_load_dir()
    return demo_assessment(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    )


def _spoil(demo) -> None:
    sheet = demo.sheets.get(criterion__code="1.2")
    sheet.strengths = ENGLISH + "."
    sheet.save(update_fields=["strengths"])
    row, _ = AssessmentProse.objects.get_or_create(assessment=demo, defaults={"texts": {}})
    row.texts = {**(row.texts or {}), "process": "Xem {ten_truong} và chỉ báo 1.6-M3."}
    row.save(update_fields=["texts"])


def _document_findings(user, demo, kind: str) -> set[str]:
    req = DocumentRequest(user=user, kind=kind, assessment_id=demo.pk, header={})
    return {f.code for f in document_check.scan_docx(registry.build_docx(req))}


def test_the_demo_texts_give_no_document_finding(principal, demo):
    found = checks.findings(sa_data.load(demo))
    assert not [f for f in found if f.code.startswith("document-")]


def test_english_in_a_sheet_is_an_item_linking_to_the_sheet(principal, demo):
    _spoil(demo)
    # What the printed sheet would carry is what the checklist says.
    assert document_check.ENGLISH in _document_findings(principal, demo, "sa-sheets")
    found = [f for f in checks.findings(sa_data.load(demo)) if f.code == "document-english"]
    assert len(found) == 1
    item = found[0]
    assert item.url == reverse("assessments:sheet", args=[demo.pk, "1.2"])
    assert "Phiếu tiêu chí 1.2" in item.message and "tiếng Anh" in item.message
    assert item.must_acknowledge and not item.blocking


def test_an_internal_id_and_a_placeholder_in_the_prose_link_to_the_prose_editor(principal, demo):
    _spoil(demo)
    codes = _document_findings(principal, demo, "sa-report")
    assert {document_check.INTERNAL_ID, document_check.TEMPLATE_LEAK} <= codes
    found = {f.code: f for f in checks.findings(sa_data.load(demo))}
    prose_url = reverse("documents:assessment_prose", args=[demo.pk])
    assert found["document-internal-id"].url == prose_url
    assert found["document-template-leak"].url == prose_url
    assert "1.6-M3" in found["document-internal-id"].message


def test_the_checklist_and_the_submit_dialog_show_the_items(client, principal, demo):
    _spoil(demo)
    client.force_login(principal)
    page = client.get(reverse("documents:assessment", args=[demo.pk])).content.decode()
    assert 'data-check="document-english"' in page
    assert reverse("assessments:sheet", args=[demo.pk, "1.2"]) in page
    detail = client.get(reverse("assessments:detail", args=[demo.pk])).content.decode()
    dialog = reverse("assessments:submit_checks", args=[demo.pk])
    assert f'hx-get="{dialog}"' in detail
    checks_html = client.get(dialog).content.decode()
    warnings = checks_html[checks_html.index('data-testid="submit-warnings"') :]
    assert "Phiếu tiêu chí 1.2: có câu tiếng Anh" in warnings


def test_a_requirement_text_written_with_english_is_flagged_where_it_is_written(principal, demo):
    m44 = Indicator.objects.get(framework=demo.framework, ident="M4-4")
    RequirementText.objects.create(
        indicator=m44, school=demo.school, text="The school has a plan for all of the years."
    )
    found = [f for f in checks.findings(sa_data.load(demo)) if f.code == "document-english"]
    assert [f.url for f in found] == [
        reverse("assessments:requirement_text", args=[demo.pk, m44.pk])
    ]
