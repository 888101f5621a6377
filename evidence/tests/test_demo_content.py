"""Issue 17 §7 and §5: the demo self-assessment reads naturally to a Vietnamese official —
grammatical evidence names, NĐ30 numbers (…/KH-THHL, …/QĐ-UBND), issuers that can issue the
kind, a council and principal of each school's own — and its council decision and plan are
dated at the start of the timeline they open."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from accounts.models import Role
from assessments.documents import header
from assessments.models import CouncilMember
from documents import registry
from documents.common import DocumentRequest, SystemUser
from documents.tests.helpers import all_text, open_docx
from evidence.demo import DOCS, council_names, demo_assessment, evidence_name, subject_of
from evidence.models import Evidence
from frameworks.services import framework_load_dir
from schools.models import School

# NĐ30: number / kind symbol - issuer's abbreviation, in capitals (Đ allowed).
ND30_NUMBER = re.compile(r"^\d+/(QĐ|KH|BC|BB)-[A-ZĐ]+$")


@pytest.fixture
def assessment(db, make_user, school):
    framework_load_dir()
    user = make_user(Role.PRINCIPAL, school=school, username="ht_demo")
    return demo_assessment(
        user=user, school=school, school_year="2025-2026", on_date=dt.date(2025, 9, 15)
    )


def test_evidence_names_are_grammatical():
    assert subject_of("Đối với học sinh") == "học sinh"
    assert evidence_name("Hồ sơ", "Đối với học sinh", "2025-2026") == "Hồ sơ về học sinh"
    assert "về đối với" not in evidence_name("Kế hoạch", "Đối với giáo viên", "2025-2026")


def test_evidence_numbers_follow_nd30_and_issuers_can_issue_the_kind(assessment, school):
    items = list(Evidence.objects.filter(assessment=assessment))
    assert items
    for item in items:
        assert "về đối với" not in item.name.lower()
        kind = next(k for k, _s, _w in DOCS if item.name.startswith(k))
        symbol = next(s for k, s, _w in DOCS if k == kind)
        if symbol:
            assert ND30_NUMBER.match(item.number), item.number
            assert item.number.split("/")[1].startswith(symbol + "-")
        else:
            assert item.number == ""
        if kind == "Quyết định":
            assert not item.issuer.startswith("Công đoàn"), item
        if item.issuer == school.name and item.number:
            assert item.number.endswith("-" + header.school_symbol(school))


def test_each_school_has_its_own_council_and_principal(db, school):
    other = School(code="LC-PT-OTHER-DEMO", name="Trường Tiểu học Khác")
    assert council_names(school) != council_names(other)
    assert council_names(school)[0] != council_names(other)[0]
    assert len(set(council_names(school))) == 7


def test_decision_and_plan_are_dated_at_the_start_of_their_timeline(assessment):
    assert CouncilMember.objects.filter(assessment=assessment).count() == 7
    for kind in ("sa-decision", "sa-plan"):
        req = DocumentRequest(
            user=SystemUser(), kind=kind, assessment_id=assessment.pk, on=dt.date(2026, 12, 7)
        )
        text = all_text(open_docx(registry.build_docx(req)))
        assert "ngày 15 tháng 9 năm 2025" in text, kind
