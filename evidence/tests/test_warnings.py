"""Warnings: met without evidence, never cited, dated outside the cycle."""

from __future__ import annotations

import datetime as dt

from assessments.models import IndicatorResult
from evidence import services
from evidence.selectors import cycle_window, evidence_warnings
from frameworks.models import Indicator

from .conftest import criterion, sheet


def add(user, assessment, code="1.1", **extra):
    data = {"first_criterion": criterion(assessment.framework, code), "name": "MC", **extra}
    return services.evidence_create(user=user, assessment=assessment, data=data)


def test_2018_window_covers_five_previous_school_years(assessment):
    assert cycle_window(assessment) == (dt.date(2020, 9, 1), dt.date(2026, 8, 31))


def test_tt57_window_is_the_school_year(assessment57):
    assert cycle_window(assessment57) == (dt.date(2026, 9, 1), dt.date(2027, 8, 31))


def test_it_flags_evidence_outside_the_cycle(principal, assessment):
    old = add(principal, assessment, issued_on=dt.date(2020, 8, 31))
    first_day = add(principal, assessment, issued_on=dt.date(2020, 9, 1))
    future = add(principal, assessment, issued_on=dt.date(2026, 9, 1))
    add(principal, assessment)  # no date: not flagged
    flagged = {e.pk for e in evidence_warnings(assessment).outside_cycle}
    assert flagged == {old.pk, future.pk}
    assert first_day.pk not in flagged


def test_it_flags_evidence_never_cited(principal, assessment):
    cited = add(principal, assessment)
    lonely = add(principal, assessment)
    services.evidence_cite(user=principal, evidence=cited, sheet=sheet(assessment, "1.1"))
    assert [e.pk for e in evidence_warnings(assessment).never_cited] == [lonely.pk]


def test_it_flags_a_met_indicator_in_a_sheet_without_evidence(principal, assessment):
    s = sheet(assessment, "1.1")
    ind = Indicator.objects.filter(criterion=s.criterion).order_by("position").first()
    IndicatorResult.objects.create(assessment=assessment, sheet=s, indicator=ind, met=True)
    warnings = evidence_warnings(assessment)
    assert [(m.sheet.pk, m.indicators) for m in warnings.met_without_evidence] == [
        (s.pk, [ind.ident])
    ]
    services.evidence_cite(user=principal, evidence=add(principal, assessment), sheet=s)
    assert evidence_warnings(assessment).met_without_evidence == []


def test_not_met_indicators_are_not_flagged(assessment):
    s = sheet(assessment, "1.1")
    ind = Indicator.objects.filter(criterion=s.criterion).first()
    IndicatorResult.objects.create(assessment=assessment, sheet=s, indicator=ind, met=False)
    assert evidence_warnings(assessment).met_without_evidence == []
