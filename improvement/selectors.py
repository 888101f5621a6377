"""Reads of improvement actions, reviews and the unit analysis, scoped to the user (starting
from accounts.permissions.scope_for). `overdue_actions` is what reminders (the notifications
issue) will read: open actions past their due date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from accounts.permissions import has_perm, scope_for
from assessments.models import Assessment, IndicatorResult
from assessments.selectors import live_levels
from core.text import format_date_long
from evidence.models import Evidence
from frameworks import engine
from frameworks.models import Framework
from improvement import analysis, rules
from improvement.models import ActionStatus, ImprovementAction, ImprovementReview
from programme.models import InvestmentProject, MonthlyReport, ProgrammePlan
from schools.models import School
from units.models import AdminUnit


def actions_in_scope(*, user) -> QuerySet[ImprovementAction]:
    # Not the framework: its row carries the whole circular as JSON, read once per action.
    return ImprovementAction.objects.filter(
        scope_for(user).school_filter(prefix="school__")
    ).select_related("school")


def action_get_or_404(*, user, pk: int) -> ImprovementAction:
    action = actions_in_scope(user=user).filter(pk=pk).first()
    if action is None or not has_perm(user, "improvement.view", action):
        raise Http404("Không tìm thấy hành động cải tiến trong phạm vi của bạn.")
    return action


def open_q() -> Q:
    return Q(status__in=rules.OPEN)


def overdue_q(today: dt.date) -> Q:
    """Open and past its due date (rules.is_overdue as a query)."""
    return open_q() & Q(due__lt=today)


def overdue_actions(qs: QuerySet[ImprovementAction], *, today: dt.date) -> QuerySet:
    """The open actions past their due date, the longest overdue first."""
    return qs.filter(overdue_q(today)).order_by("due", "id")


def due_soon_actions(qs: QuerySet[ImprovementAction], *, today: dt.date, days: int = 7) -> QuerySet:
    """Open actions due within `days` (today included): for reminders."""
    return qs.filter(open_q(), due__gte=today, due__lte=today + dt.timedelta(days=days))


def school_actions(*, school: School) -> QuerySet[ImprovementAction]:
    return (
        ImprovementAction.objects.filter(school=school)
        .select_related("framework")
        .prefetch_related("notes__evidence")
        .order_by("-year", "due", "id")
    )


def unit_actions(*, user, unit: AdminUnit, today: dt.date, status: str = "") -> QuerySet:
    """The managing unit's view: its schools' actions, overdue ones first (then by due date).
    The scope comes from the user; the unit narrows it to its subtree."""
    qs = unit_actions_filtered(user=user, unit=unit, today=today, status=status)
    return (
        qs.select_related("school")
        .only(
            "id",
            "title",
            "responsible",
            "due",
            "status",
            "indicators",
            "criteria",
            "school_id",
            "school__code",
            "school__name",
        )
        .annotate(
            overdue=Case(
                When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("overdue", "due", "id")
    )


def unit_action_rows(
    *, user, unit: AdminUnit, today: dt.date, status: str = "", start: int = 0, end: int
) -> list[dict[str, Any]]:
    """A page of unit_actions as plain rows (one query, no model instances): the managing
    unit's list of 1,500 schools shows them a hundred at a time."""
    statuses = dict(ActionStatus.choices)
    rows = list(
        unit_actions(user=user, unit=unit, today=today, status=status).values(
            "pk",
            "title",
            "responsible",
            "due",
            "status",
            "indicators",
            "criteria",
            "school__code",
            "school__name",
            "overdue",
        )[start:end]
    )
    for row in rows:
        row["is_overdue"] = row["overdue"] == 0
        row["targets"] = ", ".join([*row["criteria"], *row["indicators"]])
        row["status_label"] = statuses.get(row["status"], "")
        row["due_text"] = format_date_long(row["due"]) if row["due"] else ""
    return rows


def unit_action_counts(*, user, unit: AdminUnit, today: dt.date, status: str = "") -> dict:
    """The list's size under the status filter and the unit's overdue actions: one aggregate
    query."""
    qs = unit_actions_filtered(user=user, unit=unit, today=today)
    if status == "overdue":
        shown = Count("pk", filter=overdue_q(today))
    elif status:
        shown = Count("pk", filter=Q(status=status))
    else:
        shown = Count("pk")
    return qs.aggregate(total=shown, overdue=Count("pk", filter=overdue_q(today)))


def unit_actions_filtered(*, user, unit: AdminUnit, today: dt.date, status: str = "") -> QuerySet:
    """unit_actions without the order (for counting)."""
    qs = ImprovementAction.objects.filter(
        scope_for(user).school_filter(prefix="school__"), school__unit__path__startswith=unit.path
    )
    if status == "overdue":
        return qs.filter(overdue_q(today))
    if status:
        return qs.filter(status=status)
    return qs


def reviews(*, school: School, school_year: str) -> QuerySet[ImprovementReview]:
    return ImprovementReview.objects.filter(school=school, school_year=school_year)


def school_evidence(*, school: School) -> QuerySet[Evidence]:
    """The school's evidence register items (any cycle), for attaching to a progress note."""
    return Evidence.objects.filter(assessment__school=school).order_by(
        "-assessment__school_year", "code"
    )


# ---------------------------------------------------------------------------------------------
# A school's blockers and the "met" link


def latest_assessment(*, school: School, framework: Framework | None = None) -> Assessment | None:
    qs = Assessment.objects.filter(school=school).select_related("framework")
    if framework is not None:
        qs = qs.filter(framework=framework)
    return qs.order_by("-school_year", "-started_on", "-id").first()


@dataclass
class Blocker:
    ident: str
    criterion: str
    level: int
    text: str
    actions: list[ImprovementAction]
    projects: list[InvestmentProject]


@dataclass
class SchoolBlockers:
    assessment: Assessment | None
    school_level: int
    next_level: int | None
    explanation: str
    blockers: list[Blocker]


def school_blockers(*, school: School) -> SchoolBlockers:
    """The engine's minimal blockers for the next level, from the school's latest
    self-assessment, each with the actions registered for it and the investment projects that
    serve it (its criterion or itself)."""
    assessment = latest_assessment(school=school)
    if assessment is None:
        return SchoolBlockers(None, 0, None, "", [])
    live = live_levels(assessment)
    nxt = live.next_level
    if nxt is None:
        return SchoolBlockers(assessment, live.school_level, None, live.explanation, [])
    texts = dict(
        assessment.framework.indicators.values_list("ident", "text")  # type: ignore[attr-defined]
    )
    actions = list(
        ImprovementAction.objects.filter(school=school, framework=assessment.framework).exclude(
            status=rules.DROPPED
        )
    )
    projects = list(InvestmentProject.objects.filter(school=school).exclude(status="hoan_thanh"))
    fw = assessment.framework.compiled()
    rows = []
    for block in nxt["blockers"]:
        for ident in block["missing"]:
            criterion = block["criterion"]
            rows.append(
                Blocker(
                    ident=ident,
                    criterion=criterion,
                    level=fw.level_of.get(ident, 4),
                    text=texts.get(ident) or "",
                    actions=[
                        a for a in actions if ident in a.indicators or criterion in a.criteria
                    ],
                    projects=[p for p in projects if _serves(p, ident, criterion)],
                )
            )
    return SchoolBlockers(assessment, live.school_level, nxt["level"], live.explanation, rows)


def _serves(project: InvestmentProject, ident: str, criterion: str) -> bool:
    """The project serves the blocker: it picked the indicator or its criterion (or, before
    projects picked them from a framework, typed the criterion's code)."""
    if ident in project.indicators or criterion in project.criteria:
        return True
    if project.framework_id is None:
        codes = [c.strip() for c in (project.criteria_codes or "").split(",") if c.strip()]
        return criterion in codes
    return False


def met_links(*, school: School, actions: Iterable[ImprovementAction]) -> dict[int, bool]:
    """Action id → True when the action is done and every indicator (and criterion at its
    next level) it raised is judged met in a self-assessment of a later school year than the
    action's start: "đã hoàn thành — chỉ báo đạt ở lần tự đánh giá sau"."""
    done = [a for a in actions if a.status == rules.DONE]
    if not done:
        return {}
    found: dict[int, bool] = {}
    latest: dict[int, tuple[Assessment, set[str]]] = {}
    for action in done:
        if action.framework_id not in latest:
            assessment = latest_assessment(school=school, framework=action.framework)
            met = set()
            if assessment is not None:
                met = set(
                    IndicatorResult.objects.filter(assessment=assessment, met=True).values_list(
                        "indicator__ident", flat=True
                    )
                )
            latest[action.framework_id] = (assessment, met)  # type: ignore[assignment]
        assessment, met = latest[action.framework_id]
        if assessment is None or action.done_on is None:
            continue
        if assessment.started_on < action.start:
            continue  # not a self-assessment after the action
        fw = action.framework.compiled()
        criteria_ok = True
        if action.criteria:
            levels = engine.evaluate_met(fw, met & fw.every_id).criteria
            criteria_ok = all(levels.get(code, 0) >= 1 for code in action.criteria)
        found[action.pk] = bool(action.indicators or action.criteria) and (
            set(action.indicators) <= met and criteria_ok
        )
    return found


# ---------------------------------------------------------------------------------------------
# The unit analysis


def analysable_frameworks(*, user, unit: AdminUnit) -> list[Framework]:
    ids = (
        Assessment.objects.filter(scope_for(user).school_filter(prefix="school__"))
        .filter(school__unit__path__startswith=unit.path)
        .values_list("framework_id", flat=True)
        .distinct()
    )
    return list(Framework.objects.filter(pk__in=set(ids)).order_by("-effective_from", "code"))


def _latest_per_school(qs: QuerySet[Assessment]) -> dict[int, int]:
    """School id → its latest assessment id (school year, then start, then id)."""
    latest: dict[int, int] = {}
    for pk, school_id in qs.order_by("school_id", "-school_year", "-started_on", "-id").values_list(
        "pk", "school_id"
    ):
        latest.setdefault(school_id, pk)
    return latest


def _bits_of(fw: engine.Framework, assessment_ids: Iterable[int]) -> dict[int, int]:
    """Assessment id → the met ids' bits, one query over the met result rows."""
    bits: dict[int, int] = defaultdict(int)
    every = fw.every_bit
    ids = list(assessment_ids)
    for start in range(0, len(ids), 5000):
        for assessment_id, ident in IndicatorResult.objects.filter(
            assessment_id__in=ids[start : start + 5000], met=True
        ).values_list("assessment_id", "indicator__ident"):
            bit = every.get(ident)
            if bit is not None:
                bits[assessment_id] |= bit
    return bits


def unit_analysis_inputs(
    *, user, unit: AdminUnit, framework: Framework, school_year: str = ""
) -> list[analysis.SchoolInput]:
    """Each school of the unit (in the user's scope) with a self-assessment under the framework:
    its latest one (or the latest of `school_year`), as the analysis's input keyed by school
    id."""
    qs = Assessment.objects.filter(scope_for(user).school_filter(prefix="school__")).filter(
        school__unit__path__startswith=unit.path, framework=framework
    )
    if school_year:
        qs = qs.filter(school_year=school_year)
    latest = _latest_per_school(qs)
    bits = _bits_of(framework.compiled(), latest.values())
    return [analysis.SchoolInput(sid, bits.get(aid, 0)) for sid, aid in latest.items()]


def unit_analysis(
    *, user, unit: AdminUnit, framework: Framework, school_year: str = ""
) -> analysis.UnitAnalysis:
    return analysis.analyse(
        framework.compiled(),
        unit_analysis_inputs(user=user, unit=unit, framework=framework, school_year=school_year),
    )


def unit_trend(*, user, unit: AdminUnit, framework: Framework) -> list[analysis.TrendPoint]:
    """Criterion levels across school years: per year, each school's latest cycle of it."""
    years = (
        Assessment.objects.filter(scope_for(user).school_filter(prefix="school__"))
        .filter(school__unit__path__startswith=unit.path, framework=framework)
        .values_list("school_year", flat=True)
        .distinct()
    )
    return analysis.trend(
        framework.compiled(),
        [
            (
                year,
                unit_analysis_inputs(user=user, unit=unit, framework=framework, school_year=year),
            )
            for year in sorted(set(years))
        ],
    )


def school_trend(*, school: School, framework: Framework) -> list[tuple[str, list[int]]]:
    """A school's criterion levels per cycle, oldest first."""
    fw = framework.compiled()
    qs = Assessment.objects.filter(school=school, framework=framework).order_by(
        "school_year", "started_on", "id"
    )
    rows = []
    bits = _bits_of(fw, qs.values_list("pk", flat=True))
    for pk, year in qs.values_list("pk", "school_year"):
        rows.append((year, engine.evaluate_bits(fw, bits.get(pk, 0)).criterion_levels))
    return rows


def school_names(ids: Iterable[int]) -> dict[int, Any]:
    return {
        s.pk: s
        for s in School.objects.filter(pk__in=list(ids)).select_related("unit").order_by("sort_key")
    }


def unit_costs(
    *, user, unit: AdminUnit, framework: Framework, result: analysis.UnitAnalysis
) -> dict[str, Any]:
    """Planned (not finished) investment cost of the unit's schools per indicator it serves,
    with the schools that indicator blocks among them: "planned cost against the indicators
    it would unblock"."""
    projects = InvestmentProject.objects.filter(
        scope_for(user).school_filter(prefix="school__"), school__unit__path__startswith=unit.path
    ).exclude(status="hoan_thanh")
    fw = framework.compiled()
    by_indicator: dict[str, dict[str, Any]] = {}
    for project in projects:
        served = _project_indicators(project, fw, framework)
        for ident in served:
            row = by_indicator.setdefault(ident, {"cost": 0, "projects": 0, "unblocks": set()})
            row["cost"] += project.total_million
            row["projects"] += 1
            outcome = result.schools.get(project.school_id)
            if outcome is not None and ident in outcome.blockers:
                row["unblocks"].add(project.school_id)
    return by_indicator


def _project_indicators(
    project: InvestmentProject, fw: engine.Framework, framework: Framework
) -> set[str]:
    """The indicators a project serves under `framework`: those it picked and every indicator
    of the criteria it picked (typed codes for a project that predates picking)."""
    if project.framework_id not in (None, framework.pk):
        return set()
    served = set(project.indicators) & fw.every_id
    codes = list(project.criteria)
    if project.framework_id is None:
        codes = [c.strip() for c in (project.criteria_codes or "").split(",") if c.strip()]
    for code in codes:
        if code in fw.criterion_codes:
            served.update(fw.field_ids[fw.criterion_codes.index(code)])
    return served


def monthly_plans(*, school: School, today: dt.date) -> list[tuple[ProgrammePlan, int]]:
    """The active plans that expect this school's monthly report, each with the version of this
    month's report (0: none yet), for the one-click send."""
    month = today.replace(day=1)
    plans = ProgrammePlan.objects.filter(
        monthly_reports=True,
        school_targets__school=school,
        start_year__lte=today.year,
        end_year__gte=today.year,
    ).distinct()
    versions = dict(
        MonthlyReport.objects.filter(school=school, month=month, plan__in=plans).values_list(
            "plan_id", "version"
        )
    )
    return [(plan, versions.get(plan.pk, 0)) for plan in plans]
