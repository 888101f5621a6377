"""What the external evaluation documents need, gathered in one place (`load`), so the builders
read plain data: the school, its self-assessment's levels, the team, the team's judgments and
the engine's levels from them, the visits, and the issuing Sở on the document's day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from assessments import levels
from assessments.models import IndicatorResult
from core.text import nfc
from documents.common import authority_on, place_name, unit_phrase
from evaluation.models import (
    CriterionReview,
    Evaluation,
    MemberJudgment,
    TeamJudgment,
    TeamMember,
    Visit,
)
from frameworks import engine
from frameworks.models import Criterion, Indicator
from recognition import rules
from schools.models import School

ROLE_LABELS = {"leader": "Trưởng đoàn", "secretary": "Thư ký", "member": "Thành viên"}
PURPOSE_PHRASES = {
    "new": "công nhận trường đạt chuẩn quốc gia",
    "renewal": "công nhận lại trường đạt chuẩn quốc gia",
    "upgrade": "công nhận trường đạt chuẩn quốc gia Mức độ 2 (nâng mức)",
}


@dataclass(frozen=True)
class Department:
    """The provincial Department of Education on a day (documents.common.authority_on finds
    the province that existed then: Hải Dương's Sở before 2025, Hải Phòng's after)."""

    name: str  # "Sở Giáo dục và Đào tạo tỉnh Lai Châu"
    committee: str  # "Ủy ban nhân dân tỉnh Lai Châu"
    province_phrase: str  # "tỉnh Lai Châu"
    place: str  # "Lai Châu"


@dataclass
class IndicatorRow:
    ident: str
    level: int
    letter: str
    text: str | None
    self_met: bool | None
    team_met: bool | None
    reason: str = ""

    @property
    def label(self) -> str:
        return f"{self.letter})" if self.letter else ""


@dataclass
class CriterionRow:
    code: str
    title: str
    standard_code: str
    indicators: list[IndicatorRow]
    self_level: int
    team_level: int
    strengths: str = ""
    weaknesses: str = ""
    recommendations: str = ""

    def levels(self) -> list[int]:
        return sorted({i.level for i in self.indicators})

    def at(self, level: int) -> list[IndicatorRow]:
        return [i for i in self.indicators if i.level == level]


@dataclass
class StandardRow:
    code: str
    title: str
    criteria: list[CriterionRow]


@dataclass
class Member:
    full_name: str
    title: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass
class EEData:
    evaluation: Evaluation
    school: School
    school_year: str
    purpose: str
    target_level: int
    letter_number: str
    framework_code: str
    framework_title: str
    family: str
    legal_basis: str
    legal_document: str  # "Thông tư 17/2018/TT-BGDĐT"
    report_layout: str
    level_names: dict[int, str]
    criterion_top: int
    standards: list[StandardRow]
    members: list[Member]
    visits: list[Visit]
    feedback: list[Any]
    team: levels.LiveLevels
    self_levels: levels.LiveLevels
    version: engine.Version
    terms: rules.Terms | None
    department: Department
    judged: int = 0  # indicators the team has concluded on
    member_opinions: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def criteria(self) -> list[CriterionRow]:
        return [c for s in self.standards for c in s.criteria]

    @property
    def is_2018(self) -> bool:
        return self.family == "2018"

    @property
    def is_final(self) -> bool:
        return self.evaluation.status in ("final", "decided")

    def level_name(self, level: int) -> str:
        if level <= 0:
            return "Không đạt Mức 1"
        return self.level_names.get(level, f"Mức {level}")

    @property
    def leader(self) -> Member | None:
        return next((m for m in self.members if m.role == "leader"), None)

    @property
    def team_min(self) -> int:
        return (self.terms.team_min_members if self.terms else None) or 0

    def grades(self, school_level: int) -> tuple[int | None, int | None]:
        """(Cấp độ, Mức độ) the framework maps a school level to (None: no such grade)."""
        rec = self.version.recognition
        acc = rec.accreditation.grade(school_level) if rec.accreditation else None
        ns = rec.national_standard.grade(school_level) if rec.national_standard else None
        return acc, ns

    def report_copies(self) -> int | None:
        """How many copies of the self-assessment report go with the registration (2 under
        the 2018 procedure; None where the framework data does not say)."""
        raw = self.evaluation.framework.data or {}
        block = (raw.get("recognition") or {}).get("external_evaluation") or {}
        value = block.get("report_copies")
        return int(value) if isinstance(value, int) else None


def department_on(school: School, day: dt.date) -> Department:
    province = school.unit if not school.unit.parent_id else school.unit.ancestors()[0]
    found = authority_on(province, day).unit
    phrase = unit_phrase(found)
    return Department(
        name=f"Sở Giáo dục và Đào tạo {phrase}",
        committee=f"Ủy ban nhân dân {phrase}",
        province_phrase=phrase,
        place=place_name(found),
    )


def load(evaluation: Evaluation, *, day: dt.date | None = None) -> EEData:
    evaluation = (
        Evaluation.objects.select_related(
            "school", "school__unit", "assessment", "framework", "registration", "decision"
        )
        .prefetch_related("school__unit__parent")
        .get(pk=evaluation.pk)
    )
    framework = evaluation.framework
    fw = framework.compiled()
    assessment = evaluation.assessment
    version = (
        fw.version(assessment.framework_version)
        if assessment.framework_version in {v.code for v in fw.versions}
        else fw.version()
    )
    team_rows = {
        ident: (met, reason)
        for ident, met, reason in TeamJudgment.objects.filter(evaluation=evaluation).values_list(
            "indicator__ident", "met", "reason"
        )
    }
    self_rows = dict(
        IndicatorResult.objects.filter(assessment=assessment).values_list("indicator__ident", "met")
    )
    indicators = list(
        Indicator.objects.filter(framework=framework)
        .values_list("ident", "level", "letter", "text", "criterion__code")
        .order_by("position")
    )
    team = levels.evaluate(
        fw,
        [levels.Row(i, team_rows.get(i, (None, ""))[0], c is None) for i, _, _, _, c in indicators],
        version=version.code,
    )
    self_levels = levels.evaluate(
        fw,
        [levels.Row(i, self_rows.get(i), c is None) for i, _, _, _, c in indicators],
        version=version.code,
    )
    by_criterion: dict[str, list[IndicatorRow]] = {}
    for ident, level, letter, text, code in indicators:
        if code is None:
            continue
        met, reason = team_rows.get(ident, (None, ""))
        by_criterion.setdefault(code, []).append(
            IndicatorRow(ident, level, letter, text, self_rows.get(ident), met, nfc(reason))
        )
    reviews = {
        r.criterion.code: r
        for r in CriterionReview.objects.filter(evaluation=evaluation).select_related("criterion")
    }
    standards: list[StandardRow] = []
    for c in Criterion.objects.filter(framework=framework).select_related("standard"):
        if not standards or standards[-1].code != c.standard.code:
            standards.append(StandardRow(c.standard.code, c.standard.title, []))
        review = reviews.get(c.code)
        standards[-1].criteria.append(
            CriterionRow(
                code=c.code,
                title=c.title,
                standard_code=c.standard.code,
                indicators=by_criterion.get(c.code, []),
                self_level=self_levels.criteria[c.code].level,
                team_level=team.criteria[c.code].level,
                strengths=nfc(review.strengths) if review else "",
                weaknesses=nfc(review.weaknesses) if review else "",
                recommendations=nfc(review.recommendations) if review else "",
            )
        )
    members = [
        Member(nfc(m.full_name), nfc(m.title), m.role)
        for m in TeamMember.objects.filter(evaluation=evaluation).order_by("position", "pk")
    ]
    registration = evaluation.registration
    legal = framework.data.get("legal_basis") or {}
    documents = framework.data.get("documents") or {}
    on = day or evaluation.team_decision_date or dt.date.today()
    return EEData(
        evaluation=evaluation,
        school=evaluation.school,
        school_year=assessment.school_year,
        purpose=registration.purpose,
        target_level=registration.target_level,
        letter_number=registration.letter_number,
        framework_code=framework.code,
        framework_title=nfc(framework.title),
        family=framework.family,
        legal_basis=nfc(legal.get("text") if isinstance(legal, dict) else str(legal)),
        legal_document=nfc(legal.get("document") if isinstance(legal, dict) else "")
        or nfc(framework.title),
        report_layout=str(documents.get("report_layout") or "moet-2018"),
        level_names={lv["level"]: lv["name"] for lv in framework.data.get("levels", [])},
        criterion_top=max((framework.data.get("rule") or {}).get("criterion_levels") or [1]),
        standards=standards,
        members=members,
        visits=list(Visit.objects.filter(evaluation=evaluation).order_by("date", "pk")),
        feedback=list(evaluation.feedback.order_by("received_on", "pk")),
        team=team,
        self_levels=self_levels,
        version=version,
        terms=rules.recognition_terms(framework.code, on),
        department=department_on(evaluation.school, on),
        judged=sum(1 for met, _ in team_rows.values() if met is not None),
        member_opinions=MemberJudgment.objects.filter(evaluation=evaluation).count(),
    )
