"""engine.evaluate_met — the fast path for results stored one row per indicator, Mức 4
requirements mixed in — must give exactly what engine.evaluate gives with the ids split."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks import engine

from .conftest import FRAMEWORKS_2018, FRAMEWORKS_2026, fw, madeup, madeup_wide

FRAMEWORKS = {code: fw(code) for code in FRAMEWORKS_2018 + FRAMEWORKS_2026}
FRAMEWORKS["XX-2030-DEMO"] = madeup()
FRAMEWORKS["XX-2030-WIDE"] = madeup_wide()
CONDITION_NAMES = ["cohort_completed", "three_years_data", "facilities_compliant"]


def _both(framework, met, level4, conditions, version=None):
    slow = engine.evaluate(framework, met, level4, conditions, version=version)
    fast = engine.evaluate_met(framework, [*met, *level4], conditions, version=version)
    return slow, fast


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    code=st.sampled_from(sorted(FRAMEWORKS)),
    share=st.sampled_from([0.0, 0.3, 0.8, 0.95, 1.0]),
    seed=st.integers(0, 10**6),
    flags=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_it_matches_evaluate_on_any_school(code, share, seed, flags):
    framework = FRAMEWORKS[code]
    rng = random.Random(seed)
    met = [i for i in sorted(framework.all_ids) if rng.random() < share]
    level4 = [i for i in framework.level4_order if rng.random() < share]
    conditions = dict(zip(CONDITION_NAMES, flags, strict=True))
    slow, fast = _both(framework, met, level4, conditions)
    assert fast.to_dict() == slow.to_dict()
    assert fast.missing == slow.missing
    assert fast.level4_met == slow.level4_met


@pytest.mark.parametrize("code", FRAMEWORKS_2018 + FRAMEWORKS_2026)
def test_it_reaches_the_top_when_everything_is_met(code):
    framework = fw(code)
    result = engine.evaluate_met(
        framework, framework.every_id, dict.fromkeys(CONDITION_NAMES, True)
    )
    assert result.school_level == framework.max_level
    assert result.missing == frozenset()
    assert result.level4_met == framework.level4_ids


def test_it_accepts_sets_generators_duplicates_and_a_version_code():
    framework = fw("TT17-2018")
    met = sorted(framework.all_ids)[:40] + ["M4-1"]
    expected = engine.evaluate(framework, met[:-1], ["M4-1"]).to_dict()
    assert engine.evaluate_met(framework, set(met)).to_dict() == expected
    assert engine.evaluate_met(framework, (i for i in met)).to_dict() == expected
    assert engine.evaluate_met(framework, met + met).to_dict() == expected
    version = framework.versions[0]
    assert (
        engine.evaluate_met(framework, met, version=version.code).to_dict()
        == engine.evaluate(framework, met[:-1], ["M4-1"], version=version).to_dict()
    )


def test_it_rejects_unknown_ids():
    framework = fw("TT17-2018")
    with pytest.raises(engine.UnknownIndicator) as caught:
        engine.evaluate_met(framework, ["1.1-M1a", "9.9-M9"])
    assert caught.value.ids == ["9.9-M9"]


def test_it_rejects_a_level4_id_where_the_framework_has_none():
    framework = fw("TT57-2026-PT")
    assert not framework.level4_ids
    with pytest.raises(engine.UnknownIndicator):
        engine.evaluate_met(framework, ["M4-1"])


def test_every_id_is_indicators_and_level4_requirements():
    for framework in FRAMEWORKS.values():
        assert framework.every_id == framework.all_ids | framework.level4_ids


def test_a_criterion_wider_than_a_byte_takes_the_general_layout():
    framework = FRAMEWORKS["XX-2030-WIDE"]
    assert framework.field_bits == 20
    assert framework.level_tables is None
    assert FRAMEWORKS["TT17-2018"].field_bits == 8
    # Everything but one Mức 1 indicator of B.2 (not mandatory), listed after its ten others in
    # the data: B.2 is below Mức 1, which Mức 3 of the school does not allow.
    met = framework.all_ids - {"B.2-M1x14"}
    result = engine.evaluate(framework, met, ["M4-1", "M4-2"])
    assert result.criteria["B.2"] == 0
    assert result.missing == {"B.2-M1x14"}
    assert result.school_level == 2
    assert result.next_level == {
        "level": 3,
        "blockers": [{"criterion": "B.2", "missing": ["B.2-M1x14"]}],
    }


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(code=st.sampled_from(sorted(FRAMEWORKS)), seed=st.integers(0, 10**6))
def test_bulk_callers_may_sum_the_bits_themselves(code, seed):
    framework = FRAMEWORKS[code]
    rng = random.Random(seed)
    met = [i for i in sorted(framework.every_id) if rng.random() < 0.7]
    bits = sum(framework.every_bit[i] for i in met)
    expected = engine.evaluate_met(framework, met).to_dict()
    assert engine.evaluate_bits(framework, bits).to_dict() == expected


def test_it_refuses_bits_outside_the_framework():
    framework = fw("TT57-2026-PT")
    with pytest.raises(engine.FrameworkError):
        engine.evaluate_bits(framework, 1 << framework.bits_end)
    with pytest.raises(engine.FrameworkError):
        engine.evaluate_bits(framework, -1)


def test_unknown_ids_are_named_whatever_their_type():
    framework = fw("TT17-2018")
    with pytest.raises(engine.UnknownIndicator) as caught:
        engine.evaluate(framework, ["1.1-M1a", 42])
    assert caught.value.ids == ["42"]
    with pytest.raises(engine.UnknownIndicator) as caught:
        engine.evaluate(framework, ["1.1-M1a"], ["M4-1", "M4-99"])
    assert caught.value.ids == ["M4-99"]
