"""Evidence codes: the framework's format, stable once assigned, one code per document."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from evidence import services
from evidence.models import Evidence
from evidence.selectors import catalogue
from frameworks.codes import rewrite_codes, style_from_data

from .conftest import criterion, pdf, sheet


def add(user, assessment, code="1.1", name="Biên bản họp", **extra):
    data = {"first_criterion": criterion(assessment.framework, code), "name": name, **extra}
    return services.evidence_create(user=user, assessment=assessment, data=data)


def test_2018_style_is_square_brackets_with_box():
    style = style_from_data(
        {
            "evidence_code": {
                "format": "[H{box}-{criterion}-{seq:02}]",
                "brackets": "square",
                "certainty": "confirmed",
            }
        }
    )
    assert style.show(style.make(criterion="1.1", seq=1, box=1)) == "[H1-1.1-01]"
    assert style.show_many(["H1-1.1-01", "H1-1.1-02"]) == "[H1-1.1-01]; [H1-1.1-02]"
    assert not style.is_uncertain


def test_style_without_declaration_falls_back_and_is_uncertain():
    style = style_from_data({})
    assert style.make(criterion="2.3", seq=4, box=2) == "H2-2.3-04"
    assert style.is_uncertain


def test_it_parses_typed_codes():
    style = style_from_data(
        {"evidence_code": {"format": "(MC.{criterion}.{seq:02})", "brackets": "round"}}
    )
    assert style.parse("(MC.1.3.01)") == {"criterion": "1.3", "seq": "01"}
    assert style.parse("MC.1.3.01") == {"criterion": "1.3", "seq": "01"}
    assert style.parse("H1-1.3-01") is None


def test_tt17_code_uses_standard_number_as_box(principal, assessment):
    first = add(principal, assessment, "1.1")
    other = add(principal, assessment, "2.1", "Danh sách giáo viên")
    assert first.code == "H1-1.1-01"
    assert first.display_code == "[H1-1.1-01]"
    assert other.code == "H2-2.1-01"


def test_tt57_code_is_mc_in_round_brackets_and_marked_uncertain(principal, assessment57):
    e = add(principal, assessment57, "1.3", "Kế hoạch năm học")
    assert e.code == "MC.1.3.01"
    assert e.display_code == "(MC.1.3.01)"
    assert e.style.is_uncertain


def test_sequence_is_per_criterion(principal, assessment):
    a = add(principal, assessment, "1.1", "Một")
    b = add(principal, assessment, "1.1", "Hai")
    c = add(principal, assessment, "1.2", "Ba")
    assert [a.code, b.code, c.code] == ["H1-1.1-01", "H1-1.1-02", "H1-1.2-01"]


def test_an_explicit_box_goes_into_the_code(principal, assessment):
    e = add(principal, assessment, "1.1", box=7)
    assert e.code == "H7-1.1-01"


def test_a_stale_next_number_is_retried_not_duplicated(principal, assessment, monkeypatch):
    """Two uploads that read the same next number: the second hits the unique constraint and
    takes the following number."""
    add(principal, assessment, "1.1", "Một")
    real = services.next_seq
    calls = {"n": 0}

    def stale(a, c):
        calls["n"] += 1
        return 1 if calls["n"] == 1 else real(a, c)

    monkeypatch.setattr(services, "next_seq", stale)
    second = add(principal, assessment, "1.1", "Hai")
    assert calls["n"] == 2
    assert second.code == "H1-1.1-02"
    assert Evidence.objects.filter(assessment=assessment).count() == 2


def test_code_is_stable_when_metadata_and_box_change(principal, assessment):
    e = add(principal, assessment, "1.1")
    services.evidence_update(
        user=principal,
        evidence=e,
        data={
            "name": "Biên bản họp (bản sửa)",
            "box": 9,
            "first_criterion": criterion(assessment.framework, "2.1"),
        },
    )
    e.refresh_from_db()
    assert e.code == "H1-1.1-01"
    assert e.box == 9
    assert e.first_criterion.code == "1.1"
    assert e.name == "Biên bản họp (bản sửa)"


def test_reuse_in_another_criterion_keeps_the_first_code(principal, assessment):
    e = add(principal, assessment, "1.1")
    services.evidence_cite(user=principal, evidence=e, sheet=sheet(assessment, "1.1"))
    services.evidence_cite(user=principal, evidence=e, sheet=sheet(assessment, "2.3"))
    # citing twice is a no-op, not a duplicate
    services.evidence_cite(user=principal, evidence=e, sheet=sheet(assessment, "2.3"))
    e.refresh_from_db()
    assert e.code == "H1-1.1-01"
    assert Evidence.objects.filter(assessment=assessment).count() == 1
    assert e.citations.count() == 2
    cat = catalogue(assessment)
    rows = {c.criterion.code: c.rows for s in cat.standards for c in s.criteria}
    assert [(r.evidence.code, r.reused) for r in rows["1.1"]] == [("H1-1.1-01", False)]
    assert [(r.evidence.code, r.reused) for r in rows["2.3"]] == [("H1-1.1-01", True)]


def test_the_same_file_twice_is_refused_with_the_existing_code(principal, assessment):
    services.evidence_create(
        user=principal,
        assessment=assessment,
        data={"first_criterion": criterion(assessment.framework, "1.1"), "name": "QĐ"},
        file=pdf(),
    )
    with pytest.raises(ValidationError) as exc:
        services.evidence_create(
            user=principal,
            assessment=assessment,
            data={"first_criterion": criterion(assessment.framework, "2.1"), "name": "QĐ"},
            file=pdf("ban-sao.pdf"),
        )
    assert "[H1-1.1-01]" in exc.value.message_dict["file"][0]
    assert Evidence.objects.count() == 1


def test_a_criterion_of_another_framework_is_refused(principal, assessment, tt57):
    with pytest.raises(ValidationError) as exc:
        services.evidence_create(
            user=principal,
            assessment=assessment,
            data={"first_criterion": criterion(tt57, "1.1"), "name": "X"},
        )
    assert "first_criterion" in exc.value.message_dict


def test_javascript_links_are_refused(principal, assessment):
    with pytest.raises(ValidationError) as exc:
        add(principal, assessment, link="javascript:alert(1)")
    assert "http" in exc.value.message_dict["link"][0]


def test_read_only_roles_and_outsiders_cannot_create(viewer, outsider, commune_officer, assessment):
    from django.core.exceptions import PermissionDenied

    for user in (viewer, outsider, commune_officer):
        with pytest.raises(PermissionDenied):
            add(user, assessment)
    assert Evidence.objects.count() == 0


def test_staff_can_create_and_a_locked_assessment_refuses(staff, principal, assessment):
    from django.core.exceptions import PermissionDenied

    from assessments import services as assessment_services

    # Staff file evidence under the criteria assigned to them (see test_access.py).
    assessment_services.sheet_assign(user=principal, sheet=sheet(assessment, "1.1"), assignee=staff)
    assert add(staff, assessment).code == "H1-1.1-01"
    assessment.locked = True
    assessment.save()
    with pytest.raises(PermissionDenied):
        add(staff, assessment)


def test_deleting_cited_evidence_is_refused(principal, assessment):
    e = add(principal, assessment)
    services.evidence_cite(user=principal, evidence=e, sheet=sheet(assessment, "1.1"))
    with pytest.raises(ValidationError):
        services.evidence_delete(user=principal, evidence=e)
    services.evidence_uncite(user=principal, evidence=e, sheet=sheet(assessment, "1.1"))
    services.evidence_delete(user=principal, evidence=e)
    assert not Evidence.objects.exists()


def test_rewrite_codes_recodes_citations_written_in_a_text():
    old = style_from_data({"evidence_code": {"format": "[H{box}-{criterion}-{seq:02}]"}})
    new = style_from_data(
        {"evidence_code": {"format": "(MC.{criterion}.{seq:02})", "brackets": "round"}}
    )
    mapping = {"H1-1.1-01": "MC.1.1.01", "H1-1.1-02": "MC.1.1.02"}
    text = "Có kế hoạch [H1-1.1-01]; [H1-1.1-02], xem H1-1.1-01; giữ nguyên [H1-1.1-010]."
    assert rewrite_codes(text, old, new, mapping) == (
        "Có kế hoạch (MC.1.1.01); (MC.1.1.02), xem MC.1.1.01; giữ nguyên [H1-1.1-010]."
    )
    # One pass: a new code equal to another old code is not rewritten again.
    shift = {"H1-1.1-01": "H1-1.1-02", "H1-1.1-02": "H1-1.1-03"}
    assert rewrite_codes("[H1-1.1-01] [H1-1.1-02]", old, old, shift) == "[H1-1.1-02] [H1-1.1-03]"
