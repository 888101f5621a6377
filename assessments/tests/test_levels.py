"""assessments.levels is pure: engine input from rows, explanations in Vietnamese."""

from assessments import levels
from frameworks import engine


def _rows(fw, met_ids, undecided=()):
    return [
        levels.Row(ident, True if ident in met_ids else (None if ident in undecided else False))
        for ident in fw.all_ids
    ]


def test_undecided_indicators_count_as_not_met():
    fw = engine.registry()["TT57-2026-PT"]
    live = levels.evaluate(fw, _rows(fw, set(), undecided=fw.all_ids))
    assert live.school_level == 0
    assert all(c.level == 0 for c in live.criteria.values())


def test_tt57_school_level_1_needs_mandatory_plus_five_others():
    fw = engine.registry()["TT57-2026-PT"]
    mandatory = [c for i, c in enumerate(fw.criterion_codes) if fw.mandatory[i]]
    others = [c for i, c in enumerate(fw.criterion_codes) if not fw.mandatory[i]]
    met = {f"{c}-M1" for c in mandatory + others[:4]}
    live = levels.evaluate(fw, _rows(fw, met))
    assert live.school_level == 0
    assert live.blocker_count == 1
    assert live.explanation.startswith("thiếu ") and "để đạt Mức 1" in live.explanation
    met.add(f"{others[4]}-M1")
    assert levels.evaluate(fw, _rows(fw, met)).school_level == 1


def test_level4_rows_feed_the_school_wide_requirements():
    fw = engine.registry()["TT17-2018"]
    rows = [levels.Row(i, True) for i in fw.all_ids]
    rows += [levels.Row(i, True, school_wide=True) for i in fw.level4_order]
    live = levels.evaluate(fw, rows)
    assert live.school_level == 4 and live.next_level is None
    assert live.explanation == "Trường đã đạt mức cao nhất (Mức 4)."
    assert all(c.next_level is None for c in live.criteria.values())
