"""Every change of the register is in the assessment's change log — items added, changed,
deleted; citations added and removed, per sheet — and the snapshot's hash covers the register
and the citations (issue 5 audit, item 7)."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments import diff
from assessments import selectors as assessment_selectors
from assessments import services as assessment_services
from assessments.models import ChangeLog
from evidence import services

from .conftest import criterion, pdf, sheet

pytestmark = pytest.mark.django_db


def add(user, assessment, code="1.1", name="Biên bản họp", **extra):
    data = {"first_criterion": criterion(assessment.framework, code), "name": name, **extra}
    return services.evidence_create(user=user, assessment=assessment, data=data)


def log(assessment, **filters):
    return list(
        ChangeLog.objects.filter(assessment=assessment, **filters)
        .order_by("pk")
        .values_list("field", "old", "new", "note")
    )


def test_adding_an_item_is_logged_with_its_printed_code(principal, assessment):
    add(principal, assessment, name="Kế hoạch chiến lược")
    assert log(assessment) == [
        ("evidence:[H1-1.1-01]", "", "Kế hoạch chiến lược", "Thêm minh chứng")
    ]
    entry = ChangeLog.objects.get(assessment=assessment)
    assert entry.user == principal and entry.sheet is None
    assessment.refresh_from_db()
    assert assessment.last_activity_at is not None


def test_changing_an_item_logs_each_changed_field_and_the_file(principal, assessment):
    item = add(principal, assessment, number="12/KH")
    ChangeLog.objects.all().delete()
    services.evidence_update(
        user=principal,
        evidence=item,
        data={"name": "Biên bản họp hội đồng", "number": "12/KH", "issued_on": dt.date(2025, 9, 5)},
        file=pdf("bien-ban.pdf"),
    )
    assert set(log(assessment)) == {
        ("evidence:[H1-1.1-01].name", "Biên bản họp", "Biên bản họp hội đồng", ""),
        ("evidence:[H1-1.1-01].issued_on", "", "2025-09-05", ""),
        ("evidence:[H1-1.1-01].file", "", "bien-ban.pdf", ""),
    }
    ChangeLog.objects.all().delete()
    services.evidence_update(user=principal, evidence=item, data={}, remove_file=True)
    assert log(assessment) == [("evidence:[H1-1.1-01].file", "bien-ban.pdf", "", "")]


def test_deleting_an_item_is_logged(principal, assessment):
    item = add(principal, assessment, name="Ảnh")
    services.evidence_delete(user=principal, evidence=item)
    assert log(assessment)[-1] == ("evidence:[H1-1.1-01]", "Ảnh", "", "Xóa minh chứng")


def test_citing_and_unciting_are_logged_on_the_sheet(principal, assessment):
    item = add(principal, assessment, name="Kế hoạch")
    s = sheet(assessment, "3.1")
    services.evidence_cite(user=principal, evidence=item, sheet=s)
    services.evidence_cite(user=principal, evidence=item, sheet=s)  # already cited: no entry
    services.evidence_uncite(user=principal, evidence=item, sheet=s)
    services.evidence_uncite(user=principal, evidence=item, sheet=s)  # nothing to remove
    assert log(assessment, sheet=s) == [
        ("citation", "", "[H1-1.1-01] Kế hoạch", ""),
        ("citation", "[H1-1.1-01] Kế hoạch", "", ""),
    ]


def test_an_excel_import_logs_each_item(principal, assessment):
    from evidence import importing

    rows = [
        importing.RawRow(2, {"criterion": "1.1", "name": "Quyết định"}),
        importing.RawRow(3, {"criterion": "2.1", "name": "Danh sách"}),
    ]
    services.evidence_import(user=principal, assessment=assessment, rows=rows)
    assert log(assessment) == [
        ("evidence:[H1-1.1-01]", "", "Quyết định", "Nhập từ Excel"),
        ("evidence:[H2-2.1-01]", "", "Danh sách", "Nhập từ Excel"),
    ]


def test_the_snapshot_hash_covers_the_register_and_the_citations(principal, assessment):
    item = add(principal, assessment, name="Kế hoạch", file=None)
    s11 = sheet(assessment, "1.1")
    before = assessment_selectors.snapshot_content(assessment)
    assert before["evidence"] == [
        {
            "code": "H1-1.1-01",
            "criterion": "1.1",
            "name": "Kế hoạch",
            "number": "",
            "issued_on": None,
            "issuer": "",
            "note": "",
            "box": None,
            "link": "",
            "file": "",
            "sha256": "",
        }
    ]
    services.evidence_cite(user=principal, evidence=item, sheet=s11)
    cited = assessment_selectors.snapshot_content(assessment)
    [content] = [s for s in cited["sheets"] if s["criterion"] == "1.1"]
    assert content["citations"] == ["H1-1.1-01"]
    assert assessment_services.content_hash(cited) != assessment_services.content_hash(before)
    services.evidence_update(user=principal, evidence=item, data={"note": "Bản chính"})
    noted = assessment_selectors.snapshot_content(assessment)
    assert assessment_services.content_hash(noted) != assessment_services.content_hash(cited)
    comparison = diff.compare(before, noted)
    [changed] = comparison.criteria
    assert changed.code == "1.1" and [t.kind for t in changed.texts] == ["citations"]
    assert [(e.code, e.fields) for e in comparison.evidence.changed] == [("H1-1.1-01", ["note"])]
