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


def test_the_register_page_shows_the_three_warnings_with_printed_codes(
    client, principal, assessment, outsider
):
    from django.urls import reverse

    s = sheet(assessment, "1.1")
    ind = Indicator.objects.filter(criterion=s.criterion).order_by("position").first()
    IndicatorResult.objects.create(assessment=assessment, sheet=s, indicator=ind, met=True)
    add(principal, assessment, name="Quyết định năm 2019", issued_on=dt.date(2019, 5, 1))
    add(principal, assessment, "2.1", name="Danh sách giáo viên")
    url = reverse("evidence:register", kwargs={"assessment_id": assessment.pk})
    client.force_login(principal)
    body = client.get(url).content.decode()
    block = body.split('data-testid="evidence-warnings"', 1)[1].split("</section>", 1)[0]
    assert "4 cảnh báo" in block
    assert (
        "Tiêu chí 1.1: chỉ báo a) của Mức 1 được đánh giá đạt nhưng phiếu chưa trích dẫn" in block
    )
    assert "Chưa được trích dẫn ở phiếu nào:" in block
    assert "<code>[H2-2.1-01]</code> Danh sách giáo viên" in block
    # Outside the cycle: the code as printed, brackets and all (audit item 11).
    assert "Ngày ban hành 01/05/2019 nằm ngoài chu kỳ đánh giá (01/09/2020 – 31/08/2026):" in block
    assert "<code>[H1-1.1-01]</code> Quyết định năm 2019" in block
    assert "<code>H1-1.1-01</code>" not in body
    client.force_login(outsider)
    assert client.get(url).status_code == 404
