"""The recognition numbers (validity, renewal lead time, upgrade wait, team size) come from the
framework data files: a file with other numbers changes every outcome that uses them."""

import copy
import datetime as dt
import json

import pytest

from frameworks import engine
from recognition import rules
from recognition.models import RecognitionDecision
from recognition.rules import Decision, check_decision, school_status

D = dt.date


def _with(code: str, **recognition) -> dict[str, engine.Framework]:
    """The project's frameworks with `code` re-read from a data file carrying other numbers."""
    data = copy.deepcopy(engine.read_data(engine.DATA_DIR / f"{code}.json"))
    data["recognition"].update(recognition)
    for version in data.get("versions", []):
        version.get("overrides", {}).get("recognition", {}).pop("upgrade_wait_years", None)
    frameworks = dict(engine.registry())
    frameworks[code] = engine.compile_framework(data)
    return frameworks


def test_terms_are_read_from_the_framework_data():
    original = rules.recognition_terms("TT17-2018", D(2024, 1, 1))
    assert (original.validity_years, original.renewal_months_before_expiry) == (5, 5)
    assert (original.upgrade_wait_years, original.team_min_members) == (2, 5)
    assert "Thông tư 17/2018/TT-BGDĐT" in original.basis
    amended = rules.recognition_terms("TT17-2018", D(2025, 3, 1))
    assert amended.upgrade_wait_years == 1 and "22/2024" in amended.basis
    tt57 = rules.recognition_terms("TT57-2026-PT", D(2026, 9, 1))
    assert tt57.upgrade_wait_years == 2 and tt57.certainty == "uncertain"


def test_a_data_file_with_other_numbers_changes_validity_and_renewal_deadline():
    decision = Decision(rules.STANDARD_NEW, D(2020, 3, 10), 1, framework_code="TT17-2018")
    assert decision.valid_until == D(2025, 3, 10)
    with rules.using_frameworks(
        _with("TT17-2018", validity_years=3, renewal_registration_months_before_expiry=7)
    ):
        assert decision.valid_until == D(2023, 3, 10)
        assert rules.valid_until(rules.STANDARD_NEW, D(2020, 3, 10), "TT17-2018") == D(2023, 3, 10)
        status = school_status([decision], D(2022, 1, 1))
        assert status.renewal_deadline == D(2022, 8, 10)
        assert status.renewal_months == 7
        assert school_status([decision], D(2024, 1, 1)).expired
    # Back to the project's files once the block ends.
    assert school_status([decision], D(2024, 1, 1)).standard_level == 1


def test_a_data_file_with_another_upgrade_wait_changes_the_check():
    prior = [Decision(rules.STANDARD_NEW, D(2019, 6, 1), 1, framework_code="TT18-2018")]
    upgrade = Decision(rules.STANDARD_UPGRADE, D(2021, 7, 1), 2, framework_code="TT18-2018")
    assert check_decision(prior, upgrade, today=D(2022, 1, 1)) == []
    with rules.using_frameworks(_with("TT18-2018", upgrade_wait_years=3)):
        problems = check_decision(prior, upgrade, today=D(2022, 1, 1))
    assert problems and "ít nhất 3 năm" in problems[0].message


def test_a_data_file_with_another_team_size_changes_the_minimum():
    assert rules.team_min_members("TT19-2018", D(2024, 1, 1)) == 5
    team = {"team_min_members": 7, "certainty": "confirmed", "basis": "thử"}
    with rules.using_frameworks(_with("TT19-2018", external_evaluation=team)):
        assert rules.team_min_members("TT19-2018", D(2024, 1, 1)) == 7


def test_a_new_circular_file_governs_decisions_without_a_code_from_its_date():
    data = json.loads((engine.DATA_DIR.parent / "tests/fixtures/XX-2030-DEMO.json").read_text())
    frameworks = dict(engine.registry())
    frameworks["XX-2030-DEMO"] = engine.compile_framework(data)  # validity 3 years
    with rules.using_frameworks(frameworks):
        assert rules.valid_until(rules.STANDARD_NEW, D(2031, 1, 1), "XX-2030-DEMO") == D(2034, 1, 1)
        # No code: the strictest circular in force that day (TT57: 5 years; the new one: 3).
        assert rules.valid_until(rules.STANDARD_NEW, D(2031, 1, 1)) == D(2034, 1, 1)
        assert rules.valid_until(rules.STANDARD_NEW, D(2029, 1, 1)) == D(2034, 1, 1)


def test_version_codes_legacy_codes_and_circulars_without_a_lead_time():
    # A register row naming the amending circular: TT22/2024's one-year wait.
    assert rules.upgrade_wait_years("TT22-2024", D(2025, 6, 1)) == 1
    # Pre-2018 circulars: validity as the earliest data we hold, no wait checked.
    assert rules.valid_until(rules.STANDARD_NEW, D(2015, 1, 1), "TT59-2012") == D(2020, 1, 1)
    assert rules.upgrade_wait_years("TT59-2012", D(2015, 1, 1)) is None
    # TT57's files set no lead time (our sources do not say): no deadline is invented.
    assert rules.renewal_deadline(D(2031, 9, 1), "TT57-2026-PT", signed_on=D(2026, 9, 1)) is None
    assert rules.renewal_deadline(D(2025, 7, 31), "TT17-2018") == D(2025, 2, 28)


@pytest.mark.django_db
def test_a_recorded_decision_takes_its_validity_from_the_data(school):
    with rules.using_frameworks(_with("TT17-2018", validity_years=4)):
        decision = RecognitionDecision.objects.create(
            school=school,
            number="9/QĐ-SGDĐT",
            signed_on=D(2022, 5, 6),
            signing_body="Sở GD&ĐT",
            kind=rules.STANDARD_NEW,
            level=1,
            framework_code="TT17-2018",
        )
    assert decision.valid_until == D(2026, 5, 6)
    assert decision.renewal_deadline == D(2025, 12, 6)
