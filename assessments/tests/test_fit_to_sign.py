"""Issue 17 (documents fit to sign), the self-assessment side: Mức 4 printed in Vietnamese, a
missing text left as a line to fill and written from the gazette in the app, no Mức 4 "Đạt"
below Mức 3 and "không xác định được" where the list is incomplete (TT18); the pre-print
checklist; uncertainty kept on the reference page; submitting after the checks; visible level
badges; the criterion page's evidence search; every promised download."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from assessments import selectors
from assessments import services as asm
from assessments.documents import checks, common
from assessments.documents import data as sa_data
from assessments.models import RequirementText, Status
from documents import registry
from documents.common import DocumentRequest
from documents.tests.helpers import open_docx
from evidence.demo import DemoOptions, demo_assessment
from frameworks.models import Indicator
from frameworks.services import framework_load_dir

from .test_self_assessment import body_text

pytestmark = pytest.mark.django_db
INTERNAL_ID = re.compile(r"\d+\.\d+-M\d|\bM4-\d")


@pytest.fixture
def principal(make_user, school):
    return make_user(Role.PRINCIPAL, school=school, username="ht_huoiluong")


@pytest.fixture
def a2018(db, principal, school):
    """TT17, Mức 2 (the demo's gaps at Mức 3), every Mức 4 requirement marked met."""
    framework_load_dir()
    return demo_assessment(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    )


def report_text(user, assessment, kind="sa-report", **extra) -> str:
    req = DocumentRequest(user=user, kind=kind, assessment_id=assessment.pk, header={}, **extra)
    return body_text(open_docx(registry.build_docx(req)))


def indicator(assessment, ident) -> Indicator:
    return Indicator.objects.get(framework=assessment.framework, ident=ident)


def set_level4(user, assessment, met: bool) -> None:
    for result in selectors.level4_results(assessment=assessment):
        asm.indicator_set(user=user, result=result, met=met)


# ---------------------------------------------------------------------------------------------
# Mức 4 in the documents


def test_the_report_prints_mức_4_in_vietnamese_and_a_line_to_fill_for_a_missing_text(
    principal, a2018
):
    text = report_text(principal, a2018)
    m41 = indicator(a2018, "M4-1")
    assert f"1. {m41.text}" in text
    assert f"4. {common.FILL_LINE}" in text  # TT17 M4-4: not found in any source
    for leak in ("tiếng Anh", "chưa có văn bản", "Chưa có văn bản", m41.text_en_summary[:40]):
        assert leak not in text
    assert not INTERNAL_ID.search(text)


def test_below_mức_3_no_mức_4_requirement_is_marked_đạt(principal, a2018):
    data = sa_data.load(a2018)
    assert data.school_level == 2 and all(i.met for i in data.level4)
    assert not data.level4_considered
    text = report_text(principal, a2018)
    section = text[text.index("II. ĐÁNH GIÁ THEO CÁC TIÊU CHÍ MỨC 4") :]
    assert "Tự đánh giá:Chưa đánh giá." in section.replace("Tự đánh giá: ", "Tự đánh giá:")
    assert "Tự đánh giá:Đạt." not in section.replace("Tự đánh giá: ", "Tự đánh giá:")
    assert "Trường chưa đạt Mức 3 nên chưa đánh giá các yêu cầu Mức 4." in text
    summary = text[text.index("2. Kết quả đánh giá các yêu cầu Mức 4") : text.index("Kết luận:")]
    assert "X" not in summary.replace(common.FILL_LINE, "")


def test_at_mức_3_the_requirements_are_judged(principal, school):
    framework_load_dir()
    a = demo_assessment(
        user=principal,
        school=school,
        school_year="2024-2025",
        on_date=dt.date(2024, 10, 1),
        options=DemoOptions(gaps=()),
    )
    set_level4(principal, a, met=False)
    data = sa_data.load(a)
    assert data.school_level == 3 and data.level4_considered
    text = report_text(principal, a)
    section = text[text.index("II. ĐÁNH GIÁ THEO CÁC TIÊU CHÍ MỨC 4") :]
    assert "Không đạt." in section and "Chưa đánh giá" not in section


def test_where_the_list_is_incomplete_mức_4_is_not_determinable(make_user, sibling_school):
    framework_load_dir()
    head = make_user(Role.PRINCIPAL, school=sibling_school, username="ht_daosan")
    a = demo_assessment(
        user=head,
        school=sibling_school,
        school_year="2024-2025",
        on_date=dt.date(2024, 10, 1),
        options=DemoOptions(gaps=()),
    )
    assert a.framework.code == "TT18-2018"
    set_level4(head, a, met=True)
    data = sa_data.load(a)
    assert data.school_level == 3  # every known requirement met, still not Mức 4
    text = report_text(head, a)
    assert "Kết quả Mức 4: không xác định được." in text
    assert "Trường đạt Mức 3." in text
    found = checks.findings(data)
    assert any(f.code == "level4_undetermined" for f in found)


# ---------------------------------------------------------------------------------------------
# Writing a missing text from the gazette


def test_the_checklist_points_each_missing_text_to_where_it_is_written(principal, a2018):
    found = [f for f in checks.findings(sa_data.load(a2018)) if f.code == "missing_text"]
    m44, m45 = indicator(a2018, "M4-4"), indicator(a2018, "M4-5")
    assert [f.url for f in found] == [
        reverse("assessments:requirement_text", args=[a2018.pk, m44.pk]),
        reverse("assessments:requirement_text", args=[a2018.pk, m45.pk]),
    ]
    assert found[0].message.startswith("Yêu cầu 4 của Mức 4 chưa có văn bản")
    assert not INTERNAL_ID.search(" ".join(f.message for f in found))


def test_a_text_written_by_the_school_is_printed_and_leaves_the_checklist(client, principal, a2018):
    m44 = indicator(a2018, "M4-4")
    client.force_login(principal)
    url = reverse("assessments:requirement_text", args=[a2018.pk, m44.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(
        url,
        {
            "text": "Trong 05 năm liên tiếp tính đến thời điểm đánh giá, nhà trường hoàn thành "
            "tất cả các mục tiêu theo phương hướng, chiến lược phát triển nhà trường.",
            "source": "Công báo số 1003+1004, ngày 02/11/2018",
            "version": "0",
        },
    )
    assert response.status_code == 302
    row = RequirementText.objects.get(indicator=m44, school=a2018.school)
    assert row.history.count() == 1  # audited
    assert a2018.changes.filter(field="van_ban_yeu_cau.M4-4").exists()
    text = report_text(principal, a2018)
    assert f"4. {row.text}" in text
    codes = [f.url for f in checks.findings(sa_data.load(a2018)) if f.code == "missing_text"]
    assert url not in codes and len(codes) == 1


def test_two_sessions_never_overwrite_a_written_text(principal, a2018):
    m44 = indicator(a2018, "M4-4")
    kwargs = dict(user=principal, assessment=a2018, indicator=m44, source="Công báo")
    asm.requirement_text_save(text="Bản thứ nhất", version=0, **kwargs)
    with pytest.raises(asm.EditConflict):
        asm.requirement_text_save(text="Bản thứ hai", version=0, **kwargs)
    row = RequirementText.objects.get(indicator=m44)
    asm.requirement_text_save(text="Bản sửa", version=row.version, **kwargs)
    assert RequirementText.objects.get(indicator=m44).text == "Bản sửa"


def test_who_writes_a_text_for_the_school_and_for_everyone(
    make_user, principal, superuser, school, a2018
):
    m44 = indicator(a2018, "M4-4")
    staff = make_user(Role.STAFF, school=school, username="gv")
    kwargs = dict(assessment=a2018, indicator=m44, text="Nội dung", source="Công báo")
    with pytest.raises(asm.NotAllowed):
        asm.requirement_text_save(user=staff, version=0, **kwargs)
    with pytest.raises(asm.NotAllowed):
        asm.requirement_text_save(user=principal, version=0, for_everyone=True, **kwargs)
    asm.requirement_text_save(user=superuser, version=0, for_everyone=True, **kwargs)
    assert sa_data.load(a2018).level4[3].text == "Nội dung"  # the shared one for every school
    asm.requirement_text_save(
        user=principal, version=0, **{**kwargs, "text": "Nội dung của trường"}
    )
    assert sa_data.load(a2018).level4[3].text == "Nội dung của trường"  # the school's own first


def test_a_requirement_that_has_its_text_is_not_rewritten(principal, a2018):
    with pytest.raises(asm.AssessmentError):
        asm.requirement_text_save(
            user=principal,
            assessment=a2018,
            indicator=indicator(a2018, "M4-1"),
            text="Khác",
            source="Công báo",
            version=0,
        )


def test_an_empty_text_or_source_is_a_message_not_a_500(client, principal, a2018):
    client.force_login(principal)
    url = reverse("assessments:requirement_text", args=[a2018.pk, indicator(a2018, "M4-4").pk])
    response = client.post(url, {"text": "  ", "source": "", "version": "0"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not RequirementText.objects.exists()


# ---------------------------------------------------------------------------------------------
# Criterion sheets: the indicators as the circular names them


def test_criterion_sheets_print_no_internal_id(principal, a2018):
    text = report_text(principal, a2018, kind="sa-sheets")
    assert not INTERNAL_ID.search(text)
    assert "a) Đạt; b) Đạt" in text


# ---------------------------------------------------------------------------------------------
# Uncertainty on the reference page, not in the work


def test_work_pages_and_checks_carry_no_developer_doubt(client, principal, a2018):
    client.force_login(principal)
    doubts = ("chưa chắc chắn", "Chưa chắc chắn", "chưa đối chiếu", "chưa có nội dung chỉ báo")
    for url in (
        reverse("assessments:detail", args=[a2018.pk]),
        reverse("assessments:level4", args=[a2018.pk]),
        reverse("assessments:sheet", args=[a2018.pk, "1.1"]),
        reverse("assessments:council", args=[a2018.pk]),
        reverse("documents:assessment", args=[a2018.pk]),
        reverse("schools:year_data", args=[a2018.school.code]),
    ):
        body = client.get(url).content.decode()
        assert not any(d in body for d in doubts), url
    messages = " ".join(f.message for f in checks.findings(sa_data.load(a2018)))
    assert not any(d in messages for d in doubts)
    reference = client.get(reverse("frameworks:detail", args=["TT18-2018"])).content.decode()
    assert 'data-testid="text-confidence"' in reference


# ---------------------------------------------------------------------------------------------
# Submitting after the checks


def test_a_criterion_not_judged_stops_the_submission(principal, a2018):
    sheet = a2018.sheets.get(criterion__code="1.1")
    asm.indicator_set(user=principal, result=sheet.results.first(), met=None)
    with pytest.raises(asm.NotReady, match="chưa đánh giá"):
        asm.assessment_submit(user=principal, assessment=a2018, acknowledged=True)
    a2018.refresh_from_db()
    assert a2018.status == Status.DRAFT


def test_warnings_must_be_acknowledged_before_submitting(client, principal, a2018):
    blocking, warnings = asm.submission_checks(a2018)
    assert not blocking and any(f.code == "missing_text" for f in warnings)
    client.force_login(principal)
    detail = client.get(reverse("assessments:detail", args=[a2018.pk])).content.decode()
    dialog = reverse("assessments:submit_checks", args=[a2018.pk])
    assert f'hx-get="{dialog}"' in detail  # the dialog asks its checks when it opens
    page = client.get(dialog).content.decode()
    assert 'data-testid="submit-warnings"' in page and 'name="acknowledge"' in page
    assert "Yêu cầu 4 của Mức 4 chưa có văn bản" in page
    url = reverse("assessments:submit", args=[a2018.pk])
    client.post(url)  # the checkbox left empty: the server refuses, not only the browser
    a2018.refresh_from_db()
    assert a2018.status == Status.DRAFT
    client.post(url, {"acknowledge": "1"})
    a2018.refresh_from_db()
    assert a2018.status == Status.SUBMITTED


# ---------------------------------------------------------------------------------------------
# Screens


def _css_rules() -> str:
    return (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()


def test_every_level_badge_of_a_sheet_is_visible(client, principal, school):
    framework_load_dir()
    a = asm.assessment_start(
        user=principal, school=school, school_year="2024-2025", on_date=dt.date(2024, 10, 1)
    ).assessment
    sheet = a.sheets.get(criterion__code="1.1")
    results = list(sheet.results.select_related("indicator").order_by("indicator__position"))
    client.force_login(principal)
    url = reverse("assessments:sheet", args=[a.pk, "1.1"])
    css = _css_rules()
    seen = []
    for level in range(0, 4):
        for r in results:
            if r.indicator.level <= level and not r.met:
                asm.indicator_set(user=principal, result=r, met=True)
                r.met = True
        body = client.get(url).content.decode()
        badge = re.search(
            r'class="badge fs-6 (badge-level-\d)" data-testid="criterion-level"', body
        )
        assert badge and badge.group(1) == f"badge-level-{level}"
        rule = re.search(r"\." + badge.group(1) + r" \{([^}]*)\}", css)
        assert rule and "background" in rule.group(1), badge.group(1)
        seen.append(level)
    assert seen == [0, 1, 2, 3]


def test_the_picker_starts_with_the_criterion_s_own_items_and_searches_from_two_letters(
    client, principal, a2018
):
    client.force_login(principal)
    sheet = a2018.sheets.get(criterion__code="1.1")
    url = reverse("evidence:picker", args=[a2018.pk])
    own = client.get(url, {"sheet": sheet.pk}, HTTP_HX_REQUEST="true").content.decode()
    codes = re.findall(r'data-evidence-code="([^"]+)"', own)
    assert codes and all(c.startswith("[H1-1.1-") for c in codes)
    short = client.get(url, {"sheet": sheet.pk, "q": "b"}, HTTP_HX_REQUEST="true")
    assert "data-evidence-code" not in short.content.decode()
    assert "Gõ từ 2 ký tự" in short.content.decode()
    wide = client.get(url, {"sheet": sheet.pk, "q": "h1"}, HTTP_HX_REQUEST="true").content.decode()
    assert len(re.findall(r"data-evidence-code=", wide)) == 15
    assert 'data-testid="picker-more"' in wide
    page = client.get(reverse("assessments:sheet", args=[a2018.pk, "1.1"])).content.decode()
    assert 'id="sheet-requirements"' in page and 'id="sheet-writing"' in page


def test_the_report_card_offers_the_excel_version_it_promises(client, principal, a2018):
    client.force_login(principal)
    page = client.get(reverse("documents:assessment", args=[a2018.pk])).content.decode()
    card = page[page.index('id="kind-sa-report"') : page.index('id="kind-sa-catalogue"')]
    assert "bản Excel" in card and 'value="xlsx"' in card
    response = client.post(
        reverse("documents:assessment_generate", args=[a2018.pk, "sa-report"]), {"fmt": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == registry.XLSX_MIME


def test_the_live_level_says_mức_4_is_not_determinable_where_the_list_is_incomplete(
    make_user, sibling_school
):
    framework_load_dir()
    head = make_user(Role.PRINCIPAL, school=sibling_school, username="ht_daosan")
    a = demo_assessment(
        user=head,
        school=sibling_school,
        school_year="2024-2025",
        on_date=dt.date(2024, 10, 1),
        options=DemoOptions(gaps=()),
    )
    set_level4(head, a, met=True)
    live = selectors.live_levels(a)
    assert live.school_level == 3
    assert live.explanation == "Trường đạt Mức 3; Mức 4: không xác định được."


def test_the_screens_say_mức_4_waits_for_mức_3(client, principal, a2018):
    client.force_login(principal)
    for url in (
        reverse("assessments:detail", args=[a2018.pk]),
        reverse("assessments:level4", args=[a2018.pk]),
    ):
        body = client.get(url).content.decode()
        assert 'data-testid="level4-not-considered"' in body
        assert "khi trường đạt Mức 3" in body


LEAKS = re.compile(
    r"\d+\.\d+-M\d|\bM4-\d|tiếng Anh|chưa có văn bản|chưa đối chiếu|chưa chắc chắn|"
    r"chỉ báo sửa đổi|\{[a-z_]+(?::[^}]*)?\}",
    re.IGNORECASE,
)


@pytest.mark.parametrize("kind", ["sa-decision", "sa-plan", "sa-sheets", "sa-report"])
def test_no_document_prints_an_internal_id_a_placeholder_or_a_doubt(principal, a2018, kind):
    text = report_text(principal, a2018, kind=kind)
    assert not LEAKS.search(text), LEAKS.search(text).group(0)


@pytest.mark.parametrize("kind", ["sa-plan", "sa-report", "sa-improvement", "sa-sheets"])
def test_nor_does_a_tt57_document(principal, school, kind):
    framework_load_dir()
    a57 = demo_assessment(
        user=principal,
        school=school,
        school_year="2026-2027",
        on_date=dt.date(2026, 9, 15),
        options=DemoOptions(gaps=(("1.1", 2),)),
    )
    text = report_text(principal, a57, kind=kind)
    assert not LEAKS.search(text), LEAKS.search(text).group(0)


def test_the_plan_writes_the_code_pattern_in_the_guidance_s_letters(principal, a2018):
    text = report_text(principal, a2018, kind="sa-plan")
    assert "theo dạng [Hn-a.b-cd] (n: số thứ tự của hộp; a.b: mã tiêu chí;" in text
