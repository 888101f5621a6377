"""Registering, tracking and reviewing improvement actions: bad input is refused with a clear
Vietnamese message and nothing is written (issue 16, quality bar)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role
from core.concurrency import EditConflict
from improvement import rules, selectors, services
from improvement.models import ImprovementAction, ImprovementReview, ProgressNote


def test_the_principal_registers_an_action(principal, school, tt17, action_data):
    action = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    assert action.indicators == ["1.1-M2"]
    assert action.status == "planned"
    assert action.history.count() == 1


def test_it_refuses_an_action_without_a_responsible_person(principal, school, tt17, action_data):
    with pytest.raises(services.Rejected) as refused:
        services.action_register(
            user=principal, school=school, framework=tt17, data=action_data(responsible="  ")
        )
    assert refused.value.errors["responsible"] == [
        "Hãy ghi người (hoặc bộ phận) chịu trách nhiệm thực hiện."
    ]
    assert not ImprovementAction.objects.exists()


def test_it_refuses_a_due_date_before_the_start(principal, school, tt17, action_data):
    with pytest.raises(services.Rejected) as refused:
        services.action_register(
            user=principal,
            school=school,
            framework=tt17,
            data=action_data(start=dt.date(2026, 3, 1), due=dt.date(2026, 2, 1)),
        )
    assert refused.value.errors["due"] == [
        "Hạn hoàn thành (01/02/2026) trước ngày bắt đầu (01/03/2026)."
    ]
    assert not ImprovementAction.objects.exists()


def test_it_refuses_an_indicator_of_another_framework(principal, school, tt17, action_data):
    with pytest.raises(services.Rejected) as refused:
        services.action_register(
            user=principal, school=school, framework=tt17, data=action_data(indicators=["9.9-M1"])
        )
    assert "9.9-M1 không thuộc" in refused.value.errors["indicators"][0]
    assert not ImprovementAction.objects.exists()


def test_an_edit_moving_the_due_date_before_the_start_is_refused_and_writes_nothing(
    principal, school, tt17, action_data
):
    action = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    with pytest.raises(services.Rejected) as refused:
        services.action_update(
            user=principal,
            action=action,
            data={"due": dt.date(2025, 9, 1)},
            version=action.version,
        )
    assert refused.value.errors["due"] == [
        "Hạn hoàn thành (01/09/2025) trước ngày bắt đầu (05/09/2025)."
    ]
    action.refresh_from_db()
    assert (action.due, action.version) == (dt.date(2026, 5, 31), 1)
    assert action.history.count() == 1


def test_an_edit_clearing_the_responsible_person_is_refused_and_writes_nothing(
    principal, school, tt17, action_data
):
    action = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    with pytest.raises(services.Rejected) as refused:
        services.action_update(
            user=principal, action=action, data={"responsible": " "}, version=action.version
        )
    assert refused.value.errors["responsible"] == [
        "Hãy ghi người (hoặc bộ phận) chịu trách nhiệm thực hiện."
    ]
    action.refresh_from_db()
    assert action.responsible == "Phó hiệu trưởng Lò Văn Minh" and action.version == 1


def test_an_edit_citing_an_indicator_of_another_framework_is_refused(
    principal, school, tt17, action_data
):
    action = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    with pytest.raises(services.Rejected) as refused:
        services.action_update(
            user=principal, action=action, data={"indicators": ["3.1-M1x"]}, version=1
        )
    assert "3.1-M1x không thuộc" in refused.value.errors["indicators"][0]
    action.refresh_from_db()
    assert action.indicators == ["1.1-M2"] and action.version == 1


def test_dropping_needs_a_reason(principal, school, tt17, action_data):
    action = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    with pytest.raises(services.Rejected) as refused:
        services.action_update(
            user=principal, action=action, data={"status": "dropped"}, version=action.version
        )
    assert refused.value.errors["drop_reason"] == ["Hãy ghi lý do dừng thực hiện."]
    action.refresh_from_db()
    assert action.status == "planned"
    updated = services.action_update(
        user=principal,
        action=action,
        data={"status": "dropped", "drop_reason": "Chuyển sang năm sau"},
        version=action.version,
    )
    assert updated.status == "dropped"


def test_a_stale_edit_is_a_conflict_and_writes_nothing(principal, school, tt17, action_data):
    action = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    services.action_update(user=principal, action=action, data={"title": "Mới"}, version=1)
    with pytest.raises(EditConflict):
        services.action_update(user=principal, action=action, data={"title": "Cũ"}, version=1)
    action.refresh_from_db()
    assert action.title == "Mới"


def test_staff_cannot_register_but_may_write_progress(principal, staff, school, tt17, action_data):
    with pytest.raises(services.NotAllowed):
        services.action_register(user=staff, school=school, framework=tt17, data=action_data())
    action = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    note = services.note_add(
        user=staff, action=action, text="Đã khảo sát phòng", status="in_progress"
    )
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert note.history.count() == 1


def test_a_note_attaches_only_the_schools_own_evidence(principal, school, tt17, action_data):
    action = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    with pytest.raises(services.Rejected) as refused:
        services.note_add(
            user=principal, action=action, text="Có minh chứng", evidence_ids=[999999]
        )
    assert "minh chứng trong danh mục của trường" in refused.value.errors["evidence"][0]
    assert not ProgressNote.objects.exists()


def test_it_refuses_a_review_dated_in_the_future(principal, school):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(services.Rejected) as refused:
        services.review_record(user=principal, school=school, held_on=tomorrow, conclusions="Tốt")
    assert "chưa đến" in refused.value.errors["held_on"][0]
    assert not ImprovementReview.objects.exists()


def test_fewer_than_two_reviews_a_year_is_warned(principal, school):
    today = timezone.localdate()
    services.review_record(user=principal, school=school, held_on=today, conclusions="Đúng tiến độ")
    count = selectors.reviews(school=school, school_year=rules.school_year_of(today)).count()
    assert count == 1
    assert "cần ít nhất 2 lần" in rules.review_warning(count)
    assert rules.review_warning(2) == ""


def test_overdue_actions_are_open_ones_past_their_due_date(principal, school, tt17, action_data):
    late = services.action_register(
        user=principal,
        school=school,
        framework=tt17,
        data=action_data(start=dt.date(2025, 9, 1), due=dt.date(2025, 10, 1)),
    )
    services.action_register(
        user=principal,
        school=school,
        framework=tt17,
        data=action_data(start=dt.date(2025, 9, 1), due=dt.date(2025, 10, 1), status="done"),
    )
    services.action_register(user=principal, school=school, framework=tt17, data=action_data())
    overdue = selectors.overdue_actions(ImprovementAction.objects.all(), today=dt.date(2025, 12, 1))
    assert list(overdue) == [late]


def test_the_managing_unit_sees_overdue_first_and_outsiders_nothing(
    principal, commune_officer, outsider, commune, school, tt17, action_data
):
    later = services.action_register(
        user=principal, school=school, framework=tt17, data=action_data()
    )
    late = services.action_register(
        user=principal,
        school=school,
        framework=tt17,
        data=action_data(start=dt.date(2025, 9, 1), due=dt.date(2025, 10, 1)),
    )
    rows = list(
        selectors.unit_actions(user=commune_officer, unit=commune, today=dt.date(2025, 12, 1))
    )
    assert rows == [late, later]
    assert not selectors.unit_actions(
        user=outsider, unit=commune, today=dt.date(2025, 12, 1)
    ).exists()


def test_the_monthly_draft_reads_the_actions_state(principal, school, tt17, action_data):
    late = services.action_register(
        user=principal,
        school=school,
        framework=tt17,
        data=action_data(start=dt.date(2025, 9, 1), due=dt.date(2025, 10, 1)),
    )
    texts = services.monthly_draft(actions=[late], today=dt.date(2025, 12, 1))
    assert "Chưa bắt đầu: 1." in texts["progress"]
    assert "Quá hạn 1 hành động" in texts["difficulties"]


def test_a_commune_officer_cannot_register_for_a_school(commune_officer, school, tt17, action_data):
    with pytest.raises(services.NotAllowed):
        services.action_register(
            user=commune_officer, school=school, framework=tt17, data=action_data()
        )
    assert Role.PRINCIPAL  # the table grants registering to the principal only


# Investment tied to criteria (issue 16 §4)


def _project_data(**extra):
    from decimal import Decimal

    return {
        "name": "Xây phòng học bộ môn",
        "category": "xay_dung_moi",
        "total_million": Decimal("1200"),
        "funding_source": "ngan_sach",
        "year": 2026,
        "status": "ke_hoach",
        "progress_percent": 0,
        **extra,
    }


def test_a_project_citing_an_indicator_of_another_framework_is_refused(
    commune_officer, school, tt17
):
    from programme import services as programme_services
    from programme.models import InvestmentProject

    with pytest.raises(programme_services.Rejected) as refused:
        programme_services.investment_save(
            user=commune_officer,
            school=school,
            data=_project_data(framework=tt17, targets=["TT17-2018:3.3", "TT57-2026-PT:3.1-M1"]),
        )
    assert refused.value.errors["targets"] == [
        "3.1-M1 không thuộc bộ tiêu chuẩn "
        f"{tt17.short_title or tt17.code} đã chọn: dự án chỉ phục vụ tiêu chí, chỉ báo của một"
        " bộ tiêu chuẩn."
    ]
    assert not InvestmentProject.objects.exists()


def test_a_project_edit_citing_an_indicator_of_another_framework_writes_nothing(
    commune_officer, school, tt17
):
    from programme import services as programme_services

    project = programme_services.investment_save(
        user=commune_officer,
        school=school,
        data=_project_data(framework=tt17, targets=["TT17-2018:3.3"]),
    )
    with pytest.raises(programme_services.Rejected) as refused:
        programme_services.investment_save(
            user=commune_officer,
            school=school,
            project=project,
            version=project.version,
            data=_project_data(
                name="Tên mới", framework=tt17, targets=["TT17-2018:3.3", "TT57-2026-PT:3.1-M1"]
            ),
        )
    assert "3.1-M1 không thuộc bộ tiêu chuẩn" in refused.value.errors["targets"][0]
    project.refresh_from_db()
    assert (project.name, project.criteria, project.version) == (
        "Xây phòng học bộ môn",
        ["3.3"],
        1,
    )


def test_the_blocker_list_shows_the_project_serving_it(
    principal, commune_officer, school, assessment, tt17
):
    from programme import services as programme_services

    programme_services.investment_save(
        user=commune_officer,
        school=school,
        data=_project_data(framework=tt17, targets=["TT17-2018:1.1"]),
    )
    blockers = selectors.school_blockers(school=school)
    first = next(b for b in blockers.blockers if b.criterion == "1.1")
    assert [p.name for p in first.projects] == ["Xây phòng học bộ môn"]


def test_the_facility_standard_comes_first_among_the_choices(tt17):
    from programme.selectors import framework_target_choices

    (_label, options), *_ = framework_target_choices([tt17])
    assert options[0][1].startswith("Tiêu chí 3.")


def test_the_unit_sees_planned_cost_against_the_indicators_it_would_unblock(
    principal, commune_officer, commune, school, assessment, tt17
):
    from programme import services as programme_services

    programme_services.investment_save(
        user=commune_officer,
        school=school,
        data=_project_data(framework=tt17, targets=["TT17-2018:1.1"]),
    )
    result = selectors.unit_analysis(user=commune_officer, unit=commune, framework=tt17)
    costs = selectors.unit_costs(user=commune_officer, unit=commune, framework=tt17, result=result)
    blocked_here = set(result.schools[school.pk].blockers) & set(costs)
    assert blocked_here, "the project serves criterion 1.1, which blocks the school"
    ident = sorted(blocked_here)[0]
    assert costs[ident]["cost"] == 1200
    assert costs[ident]["unblocks"] == {school.pk}
