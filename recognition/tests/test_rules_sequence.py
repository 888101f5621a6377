"""A back-dated decision is judged with the whole register it lands in: every decision of the
school is replayed in date order with the new one inserted, and a decision that would become
impossible (an upgrade after a revocation, a second "new" while the first still holds) refuses
the new one, with a Vietnamese message naming the decision it conflicts with. The same check
runs in the service (one decision) and in the Excel import (a whole file)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from recognition import rules
from recognition.models import RecognitionDecision
from recognition.services import DecisionRejected, recognition_record

from .test_import import row, upload, xlsx

TODAY = dt.date(2026, 11, 30)


def d(kind, day, level=None, number="", id=None):
    return rules.Decision(kind=kind, signed_on=day, level=level, number=number, id=id)


NEW_2020 = d(rules.STANDARD_NEW, dt.date(2020, 3, 10), 1, "100/QĐ-UBND", id=1)
UPGRADE_2023 = d(
    rules.STANDARD_UPGRADE, dt.date(2023, 4, 20), 2, "300/QĐ-UBND", id=2
)  # 3 years after Mức độ 1


def login_and_upload(client, user, f):
    client.force_login(user)
    return upload(client, f)


def messages(problems) -> str:
    return " | ".join(p.message for p in problems)


# ---------------------------------------------------------------------------------------------
# The pure rule


def test_a_revocation_dated_between_a_recognition_and_an_upgrade_is_refused():
    revocation = d(rules.REVOCATION, dt.date(2022, 1, 5), number="50/QĐ-UBND")
    # On its own date the register allows it (Mức độ 1 in force) …
    assert rules.check_decision([NEW_2020, UPGRADE_2023], revocation, today=TODAY) == []
    # … but the 2023 upgrade would then upgrade a school that is no longer recognised.
    problems = rules.check_sequence([NEW_2020, UPGRADE_2023], revocation, today=TODAY)
    text = messages(problems)
    assert problems and "300/QĐ-UBND" in text and "20/04/2023" in text
    assert "Nâng mức" in text or "nâng mức" in text


def test_a_new_recognition_dated_before_an_existing_new_recognition_is_refused():
    earlier = d(rules.STANDARD_NEW, dt.date(2019, 5, 2), 1, "20/QĐ-UBND")
    assert rules.check_decision([NEW_2020], earlier, today=TODAY) == []
    problems = rules.check_sequence([NEW_2020], earlier, today=TODAY)
    text = messages(problems)
    assert "100/QĐ-UBND" in text and "10/03/2020" in text
    assert "công nhận mới" in text


def test_a_back_dated_decision_that_fits_the_history_is_accepted():
    # A renewal recorded late, dated between the 2020 recognition and its expiry in 2025 …
    renewal = d(rules.STANDARD_RENEWAL, dt.date(2025, 2, 1), 2, "500/QĐ-UBND")
    assert rules.check_sequence([NEW_2020, UPGRADE_2023], renewal, today=TODAY) == []
    # … and the school's first recognition entered after its upgrade was recorded.
    history = [UPGRADE_2023]
    first = d(rules.STANDARD_NEW, dt.date(2020, 3, 10), 1, "100/QĐ-UBND")
    assert rules.check_sequence(history, first, today=TODAY) == []


def test_problems_already_in_the_register_are_not_blamed_on_the_new_decision():
    # Legacy data: an upgrade without any recognition before it (entered by hand long ago).
    broken = [d(rules.STANDARD_UPGRADE, dt.date(2021, 6, 1), 2, "9/QĐ", id=5)]
    accreditation = d(rules.ACCREDITATION, dt.date(2020, 1, 1), 2, "1/QĐ-KĐ")
    assert rules.check_sequence(broken, accreditation, today=TODAY) == []


def test_the_new_decision_itself_is_still_checked_on_its_date():
    upgrade_too_early = d(rules.STANDARD_UPGRADE, dt.date(2020, 9, 1), 2, "7/QĐ")
    problems = rules.check_sequence([NEW_2020], upgrade_too_early, today=TODAY)
    assert [p.field for p in problems] == ["signed_on"]
    assert "Chưa đủ thời gian tối thiểu" in problems[0].message


def test_same_day_decisions_keep_their_recording_order():
    # Recorded first: the recognition; then, the same day, its revocation is fine.
    revocation = d(rules.REVOCATION, NEW_2020.signed_on, number="2/QĐ")
    assert rules.check_sequence([NEW_2020], revocation, today=TODAY) == []


# ---------------------------------------------------------------------------------------------
# The service


def decision_data(**kw):
    base = {
        "kind": rules.REVOCATION,
        "number": "50/QĐ-UBND",
        "signed_on": dt.date(2022, 1, 5),
        "signing_body": "UBND tỉnh Lai Châu",
        "level": None,
        "framework_code": "",
        "note": "",
    }
    base.update(kw)
    return base


def test_service_refuses_a_back_dated_revocation_and_writes_nothing(
    province_officer, school, add_decision
):
    add_decision(school, rules.STANDARD_NEW, dt.date(2020, 3, 10), 1, number="100/QĐ-UBND")
    add_decision(school, rules.STANDARD_UPGRADE, dt.date(2023, 4, 20), 2, number="300/QĐ-UBND")
    with pytest.raises(DecisionRejected) as exc:
        recognition_record(user=province_officer, school=school, data=decision_data())
    assert "300/QĐ-UBND" in str(exc.value) and "20/04/2023" in str(exc.value)
    assert RecognitionDecision.objects.filter(school=school).count() == 2


def test_service_refuses_a_second_new_recognition_dated_before_the_first(
    province_officer, school, add_decision
):
    add_decision(school, rules.STANDARD_NEW, dt.date(2020, 3, 10), 1, number="100/QĐ-UBND")
    data = decision_data(kind=rules.STANDARD_NEW, level=1, signed_on=dt.date(2019, 5, 2))
    with pytest.raises(DecisionRejected) as exc:
        recognition_record(user=province_officer, school=school, data=data)
    assert "100/QĐ-UBND" in str(exc.value)
    assert RecognitionDecision.objects.filter(school=school).count() == 1


def test_the_decision_page_shows_the_conflict_and_keeps_the_form(
    client, province_officer, school, add_decision
):
    add_decision(school, rules.STANDARD_NEW, dt.date(2020, 3, 10), 1, number="100/QĐ-UBND")
    add_decision(school, rules.STANDARD_UPGRADE, dt.date(2023, 4, 20), 2, number="300/QĐ-UBND")
    client.force_login(province_officer)
    response = client.post(
        reverse("programme:record", args=[school.code]),
        {
            "kind": rules.REVOCATION,
            "number": "50/QĐ-UBND",
            "signed_on": "05/01/2022",
            "signing_body": "UBND tỉnh Lai Châu",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "300/QĐ-UBND" in body and "50/QĐ-UBND" in body
    assert RecognitionDecision.objects.filter(school=school).count() == 2


# ---------------------------------------------------------------------------------------------
# The Excel import


def test_import_refuses_a_row_that_breaks_a_later_decision_of_the_register(
    client, province_officer, school, add_decision
):
    add_decision(school, rules.STANDARD_NEW, dt.date(2020, 3, 10), 1, number="100/QĐ-UBND")
    add_decision(school, rules.STANDARD_UPGRADE, dt.date(2023, 4, 20), 2, number="300/QĐ-UBND")
    f = xlsx([row(school.code, "50/QĐ-UBND", "05/01/2022", "Thu hồi")])
    response = login_and_upload(client, province_officer, f)
    assert response.status_code == 400
    errors = [str(e) for e in response.context["plan"].errors]
    assert len(errors) == 1 and errors[0].startswith("Dòng 2, cột «Ngày ký»")
    assert "300/QĐ-UBND" in errors[0] and "300/QĐ-UBND" in response.content.decode()
    assert RecognitionDecision.objects.filter(school=school).count() == 2


def test_import_replays_the_rows_of_one_file_in_date_order(client, province_officer, school):
    f = xlsx(
        [
            row(school.code, "100/QĐ-UBND", "10/03/2020", "Công nhận mới", 1),
            row(school.code, "300/QĐ-UBND", "20/04/2023", "Nâng mức", 2),
            row(school.code, "50/QĐ-UBND", "05/01/2022", "Thu hồi"),
        ]
    )
    response = login_and_upload(client, province_officer, f)
    assert response.status_code == 400
    # In date order the 2022 revocation comes first: the 2023 upgrade (row 3) is the decision
    # that cannot stand, and its message names the revocation that prevents it.
    errors = [str(e) for e in response.context["plan"].errors]
    assert len(errors) == 1 and errors[0].startswith("Dòng 3")
    assert "đã thu hồi theo quyết định số 50/QĐ-UBND ngày 05/01/2022" in errors[0]
    assert not RecognitionDecision.objects.exists()


def test_import_accepts_a_whole_history_given_out_of_order(client, province_officer, school):
    f = xlsx(
        [
            row(school.code, "300/QĐ-UBND", "20/04/2023", "Nâng mức", 2),
            row(school.code, "100/QĐ-UBND", "10/03/2020", "Công nhận mới", 1),
        ]
    )
    response = login_and_upload(client, province_officer, f)
    assert response.status_code == 200 and response.context["token"]
