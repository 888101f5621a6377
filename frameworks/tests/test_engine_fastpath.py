"""engine.evaluate_met — the fast path for results stored one row per indicator, Mức 4
requirements mixed in — must give exactly what engine.evaluate gives with the ids split."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frameworks import engine

from .conftest import FRAMEWORKS_2018, FRAMEWORKS_2026, fw, madeup

FRAMEWORKS = {code: fw(code) for code in FRAMEWORKS_2018 + FRAMEWORKS_2026}
FRAMEWORKS["XX-2030-DEMO"] = madeup()
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
