"""The dashboards' kept counts (recognition.tally) equal the live computation after any sequence
of decisions, imports and corrections, and are never used while they are behind."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command

from core import audit
from dashboard import selectors as dash
from recognition import rules, tally
from recognition.models import RecognitionDecision
from recognition.services import (
    recognition_correct,
    recognition_record,
    refresh_standard_levels,
)
from schools.models import School

KINDS = ["MN", "TH", "THCS", "THPT"]
GRANTS = [rules.STANDARD_NEW, rules.STANDARD_RENEWAL, rules.STANDARD_UPGRADE]


def _numbers(d: dash.Dashboard) -> dict:
    """Everything a dashboard shows that comes from the counts."""
    return {
        "total": (d.total.level_1, d.total.level_2, d.total.none),
        "declared": d.declared_only,
        "kinds": [(k.kind, k.counts.level_1, k.counts.level_2, k.counts.none) for k in d.kinds],
        "trend": [(p.on, p.level_1, p.level_2) for p in d.trend],
        "expiring": d.expiring,
        "areas": [
            (a.label, a.code, a.counts.level_1, a.counts.level_2, a.counts.none) for a in d.areas
        ],
    }


def _assert_tallies_answer(users_units, on):
    assert tally.is_fresh(on)
    for user, unit in users_units:
        kept = dash.dashboard(user=user, unit=unit, on=on)
        live = dash.dashboard(user=user, unit=unit, on=on, live=True)
        assert _numbers(kept) == _numbers(live), (user, unit)


class World:
    """Schools in three communes of two provinces, and the operations the register sees."""

    def __init__(self, rng, communes, superuser, today):
        self.rng, self.communes, self.superuser, self.today = rng, communes, superuser, today
        self.n = 0

    def day(self) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randrange(0, 12 * 365))

    def school(self) -> School:
        schools = list(School.objects.all())
        return self.rng.choice(schools) if schools else self.new_school()

    def new_school(self) -> School:
        self.n += 1
        return School.objects.create(
            code=f"T-{self.n:04d}",
            name=f"Trường thử {self.n}",
            kind=self.rng.choice(KINDS),
            unit=self.rng.choice(self.communes),
            standard_level=self.rng.choice([0, 0, 1, 2]),  # declared, before any decision
        )

    def decision(self, school=None, **kw) -> RecognitionDecision:
        self.n += 1
        kind = kw.pop("kind", self.rng.choice(GRANTS + [rules.REVOCATION]))
        return RecognitionDecision.objects.create(
            school=school or self.school(),
            kind=kind,
            signed_on=kw.pop("signed_on", self.day()),
            level=None if kind == rules.REVOCATION else self.rng.choice([1, 2]),
            number=f"{self.n}/QĐ-SGDĐT",
            signing_body="Sở GD&ĐT",
        )

    def recorded(self) -> None:
        """Through the service the officers use (checks, cached level, history)."""
        school = self.new_school()
        self.n += 1
        recognition_record(
            user=self.superuser,
            school=school,
            data={
                "kind": rules.STANDARD_NEW,
                "number": f"{self.n}/QĐ-SGDĐT",
                "signed_on": self.today - dt.timedelta(days=self.rng.randrange(1, 2000)),
                "signing_body": "Sở GD&ĐT",
                "signer_title": "Giám đốc",
                "signer_name": "Nguyễn Văn A",
                "level": 1,
                "framework_code": "",
                "note": "",
            },
        )

    def rectified(self) -> None:
        """A decision corrected through the service (đính chính, with a reason): its level and
        date change, the cached level follows. A new school's own decision, so the register's
        rules hold whatever the random rows around it."""
        self.recorded()
        d = RecognitionDecision.objects.order_by("-id").first()
        recognition_correct(
            user=self.superuser,
            decision=d,
            data={"level": 2, "signed_on": d.signed_on - dt.timedelta(days=400)},
            reason="Nhập nhầm mức và ngày ký",
            version=d.version,
        )

    def imported(self) -> None:
        """As the register import writes: bulk insert, then history rows and cached levels."""
        schools = [self.school() for _ in range(3)]
        objs = []
        for school in schools:
            self.n += 1
            d = RecognitionDecision(
                school=school,
                kind=rules.STANDARD_NEW,
                signed_on=self.day(),
                level=1,
                number=f"{self.n}/QĐ-NK",
                signing_body="Sở GD&ĐT",
            )
            d.prepare()
            objs.append(d)
        RecognitionDecision.objects.bulk_create(objs)
        audit.bulk_history(objs, reason="Nhập từ Excel")
        refresh_standard_levels(today=self.today, school_ids=[s.pk for s in schools])

    def moved(self) -> None:
        school = self.school()
        school.unit = self.rng.choice(self.communes)
        school.save()

    def rekinded(self) -> None:
        school = self.school()
        school.kind = self.rng.choice(KINDS)
        school.save()

    def corrected(self) -> None:
        d = RecognitionDecision.objects.order_by("?").first() or self.decision()
        d.signed_on = self.day()
        d.save()

    def deleted(self) -> None:
        d = RecognitionDecision.objects.order_by("?").first()
        if d is not None:
            d.delete()

    def step(self) -> str:
        op = self.rng.choice(
            ["decision", "decision", "recorded", "imported", "moved", "rekinded", "corrected"]
            + ["deleted", "new_school", "rectified"]
        )
        getattr(self, op)()
        return op


@pytest.fixture
def world(province, other_province, commune, sibling_commune, other_commune, superuser, today):
    def make(seed: int) -> World:
        w = World(random.Random(seed), [commune, sibling_commune, other_commune], superuser, today)
        for _ in range(12):
            w.new_school()
        for _ in range(20):
            w.decision()
        return w

    return make


@pytest.mark.parametrize("seed", range(6))
def test_kept_counts_equal_the_live_count_after_any_sequence_of_writes(
    seed, world, superuser, province_officer, commune_officer, province, commune, today
):
    w = world(seed)
    views = [
        (superuser, None),
        (superuser, province),
        (province_officer, None),
        (province_officer, commune),
        (commune_officer, None),
    ]
    assert tally.tally_refresh(on=today) == -1  # the first count is a full one
    _assert_tallies_answer(views, today)
    for _ in range(8):
        ops = [w.step() for _ in range(w.rng.randrange(1, 4))]
        assert not tally.is_fresh(today) or ops == ["deleted"], ops
        tally.tally_refresh(on=today)
        _assert_tallies_answer(views, today)


def test_a_correction_through_the_service_keeps_the_counts_right(
    world, today, superuser, province_officer, province
):
    w = world(7)
    tally.tally_refresh(on=today)
    w.rectified()
    assert not tally.is_fresh(today)
    assert tally.tally_refresh(on=today) == 1  # the commune of the corrected school
    _assert_tallies_answer([(superuser, None), (province_officer, province)], today)


def test_a_single_decision_recounts_only_its_commune(world, today, commune, superuser):
    w = world(1)
    tally.tally_refresh(on=today)
    school = School.objects.filter(unit=commune).first() or w.new_school()
    w.decision(school=school, kind=rules.STANDARD_NEW, signed_on=today - dt.timedelta(days=30))
    assert tally.tally_refresh(on=today) == 1
    _assert_tallies_answer([(superuser, None)], today)


def test_a_moved_school_recounts_the_commune_it_left(
    world, today, commune, sibling_commune, superuser
):
    w = world(2)
    school = w.new_school()
    school.unit = commune
    school.save()
    tally.tally_refresh(on=today)
    school.unit = sibling_commune
    school.save()
    assert tally.tally_refresh(on=today) == 2
    _assert_tallies_answer([(superuser, None)], today)


def test_rows_written_without_history_force_a_full_recount(world, today, superuser):
    w = world(3)
    tally.tally_refresh(on=today)
    d = RecognitionDecision(
        school=w.school(), kind=rules.STANDARD_NEW, signed_on=today, level=2, number="9/QĐ"
    )
    d.prepare()
    RecognitionDecision.objects.bulk_create([d])  # no history row: nothing says where
    assert not tally.is_fresh(today)
    assert tally.tally_refresh(on=today) == -1
    _assert_tallies_answer([(superuser, None)], today)


def test_a_new_day_is_counted_afresh(world, today, superuser):
    world(4)
    tally.tally_refresh(on=today - dt.timedelta(days=1))
    assert not tally.is_fresh(today)
    assert tally.tally_refresh(on=today) == -1
    _assert_tallies_answer([(superuser, None)], today)


def test_the_dashboard_counts_live_while_the_tallies_are_behind(world, today, superuser):
    w = world(5)
    tally.tally_refresh(on=today)
    before = dash.dashboard(user=superuser, unit=None, on=today).total.total
    w.new_school()
    assert not tally.is_fresh(today)
    assert dash.dashboard(user=superuser, unit=None, on=today).total.total == before + 1


def test_a_principal_is_counted_live(world, today, principal, school):
    world(0)
    tally.tally_refresh(on=today)
    d = dash.dashboard(user=principal, unit=None, on=today)
    assert d.total.total == 1


def test_the_command_counts_only_what_moved(world, today, capsys):
    world(0)
    call_command("count_tallies")
    assert "toàn bộ" in capsys.readouterr().out
    call_command("count_tallies")
    assert "0 xã/phường" in capsys.readouterr().out
