"""Everything the self-assessment documents print, read once into plain objects.

The builders (decision, plan, criterion sheets, report, Biểu 1/2, catalogue) never query the
database: `load()` reads the assessment, its framework tree, sheets, results, evidence, council
and school data in a fixed number of queries (about 15, whatever the number of criteria and
evidence items), evaluates the levels with the engine, and hands over an `SAData`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from assessments.levels import LiveLevels
from assessments.models import (
    Assessment,
    AssessmentProse,
    CouncilMember,
    CriterionSheet,
    ImprovementAction,
    IndicatorResult,
    PlanMilestone,
    WorkingGroup,
)
from assessments.register import evidence_register
from assessments.selectors import live_levels, requirement_texts, standard_reviews
from core.text import nfc
from frameworks.codes import CodeStyle, style_from_data
from frameworks.models import Criterion, Indicator, Standard
from schools.models import School
from schools.selectors_yeardata import YearTable, year_table

from . import citations


@dataclass
class IndicatorLine:
    ident: str
    level: int
    letter: str
    # None: neither the framework file nor a wording written from the gazette has the text;
    # documents leave an empty line to fill by hand and the pre-print check says where to write it.
    text: str | None
    met: bool | None
    text_en_summary: str = ""
    indicator_id: int = 0

    @property
    def label(self) -> str:
        return f"{self.letter})" if self.letter else ""


@dataclass
class CriterionData:
    code: str
    title: str
    standard_code: str
    mandatory: bool
    indicators: list[IndicatorLine]
    level: int  # engine result, 0 = Không đạt Mức 1
    top: int  # highest level the criterion defines
    missing_next: list[str]
    current_state: dict[str, str]  # level ("1", "2", …) → text
    strengths: str
    weaknesses: str
    actions: list[ImprovementAction]
    assigned_to: str  # a person or a working group, for the plan and the sheet
    group: str
    cited: list[Any] = field(default_factory=list)  # evidence items linked on the sheet, in order
    filled: bool = False

    def levels(self) -> list[int]:
        return sorted({i.level for i in self.indicators})

    def indicators_at(self, level: int) -> list[IndicatorLine]:
        return [i for i in self.indicators if i.level == level]

    def text_at(self, level: int) -> str:
        return self.current_state.get(str(level), "")

    def all_text(self) -> str:
        return "\n".join([*self.current_state.values(), self.strengths, self.weaknesses])


@dataclass
class StandardData:
    code: str
    title: str
    criteria: list[CriterionData]
    intro: str = ""
    strengths: str = ""
    weaknesses: str = ""
    causes: str = ""
    direction: str = ""
    conclusion: str = ""

    def counts(self, top: int) -> dict[int, int]:
        """Criteria at exactly each level 0..top."""
        out = dict.fromkeys(range(top + 1), 0)
        for c in self.criteria:
            out[min(c.level, top)] += 1
        return out


@dataclass
class SAData:
    assessment: Assessment
    school: School
    framework_code: str
    framework_title: str
    framework_short: str
    family: str
    legal_basis: str
    version_title: str
    documents: dict[str, Any]  # the framework's "documents" declaration
    level_names: dict[int, str]
    criterion_levels: list[int]  # the levels criteria are judged at, e.g. [1, 2, 3]
    school_levels_max: int
    standards: list[StandardData]
    level4: list[IndicatorLine]
    live: LiveLevels
    style: CodeStyle
    evidence: list[Any]  # the register's items (evidence.models.Evidence)
    citations_by_evidence: dict[int, list[str]]  # evidence id → criterion codes citing it
    council: list[CouncilMember]
    groups: list[WorkingGroup]
    milestones: list[PlanMilestone]
    prose: dict[str, Any]
    years: YearTable
    conditions: dict[str, dict[str, Any]]  # name → {label, certainty}
    cited_codes: citations.Check = field(default=None)  # type: ignore[assignment]

    @property
    def criteria(self) -> list[CriterionData]:
        return [c for s in self.standards for c in s.criteria]

    @property
    def school_level(self) -> int:
        return self.live.school_level

    @property
    def level4_level(self) -> int:
        """The school level the school-wide requirements count for (Mức 4)."""
        return max(self.level4[0].level if self.level4 else 0, 0)

    @property
    def level4_considered(self) -> bool:
        """The school-wide requirements are judged only once the school reaches the level
        below them (Mức 3): below it the document marks none of them "Đạt"."""
        return bool(self.level4) and self.school_level >= self.level4_level - 1

    @property
    def level4_determinable(self) -> bool:
        """False where the framework's list of Mức 4 requirements is incomplete (TT18)."""
        return bool(self.live.result.framework.level4_complete)

    @property
    def is_2018(self) -> bool:
        return self.family == "2018"

    @property
    def layout(self) -> str:
        return str(self.documents.get("report_layout") or "moet-2018")

    def text(self, key: str, default: str = "") -> str:
        value = self.prose.get(key)
        return nfc(value) if isinstance(value, str) and value.strip() else default

    def condition_flags(self) -> dict[str, bool]:
        flags = self.prose.get("conditions") or {}
        return {name: bool(flags.get(name)) for name in self.conditions}

    def level_name(self, level: int) -> str:
        if level <= 0:
            return "Không đạt Mức 1"
        return self.level_names.get(level, f"Mức {level}")

    def chair(self) -> CouncilMember | None:
        return next((m for m in self.council if m.role == "chu_tich"), None)

    def standard_counts(self) -> list[tuple[str, int, list[int], bool]]:
        """Per standard, then a total: (label, criteria, [criteria at level 0..top], is_total).
        The total sums the rows above; a percentage is computed from these counts by whoever
        prints it (docx: "55,56%", xlsx: the rounded fraction)."""
        top = max(self.criterion_levels)
        totals = [0] * (top + 1)
        rows = []
        for standard in self.standards:
            counts = standard.counts(top)
            values = [counts[lv] for lv in range(top + 1)]
            totals = [a + b for a, b in zip(totals, values, strict=True)]
            rows.append((f"Tiêu chuẩn {standard.code}", len(standard.criteria), values, False))
        rows.append(("Tổng cộng", sum(totals), totals, True))
        return rows

    def principal_name(self) -> str:
        chair = self.chair()
        return nfc(self.school.principal_name) or (chair.full_name if chair else "")


def load(assessment: Assessment) -> SAData:
    assessment = (
        Assessment.objects.select_related(
            "school", "school__unit", "school__unit__parent", "framework"
        )
        .prefetch_related("framework__versions")
        .get(pk=assessment.pk)
    )
    fw = assessment.framework
    data = fw.data or {}
    prose_row = AssessmentProse.objects.filter(assessment=assessment).first()
    prose: dict[str, Any] = dict(prose_row.texts) if prose_row else {}
    conditions = {name: dict(value) for name, value in (data.get("conditions") or {}).items()}
    flags = {name: bool((prose.get("conditions") or {}).get(name)) for name in conditions}
    live = live_levels(assessment, conditions=flags)

    sheets = {
        s.criterion_id: s
        for s in CriterionSheet.objects.filter(assessment=assessment).select_related("assigned_to")
    }
    actions: dict[int, list[ImprovementAction]] = defaultdict(list)
    for action in ImprovementAction.objects.filter(sheet__assessment=assessment).order_by(
        "sheet_id", "position", "pk"
    ):
        actions[action.sheet_id].append(action)
    met = dict(
        IndicatorResult.objects.filter(assessment=assessment).values_list("indicator_id", "met")
    )
    groups = list(
        WorkingGroup.objects.filter(assessment=assessment).prefetch_related("criteria", "members")
    )
    group_of: dict[int, str] = {}
    for group in groups:
        for criterion in group.criteria.all():
            group_of.setdefault(criterion.pk, group.name)
    register = evidence_register().document_register(assessment)
    evidence = register.items
    cited_by_sheet = register.cited_by_sheet
    citations_by_evidence = register.citations_by_evidence

    written = requirement_texts(framework_id=fw.pk, school_id=assessment.school_id)
    indicators: dict[int | None, list[IndicatorLine]] = defaultdict(list)
    for ind in Indicator.objects.filter(framework=fw).order_by("position"):
        text = ind.text
        if text is None and ind.pk in written:
            text = nfc(written[ind.pk].text)
        indicators[ind.criterion_id].append(
            IndicatorLine(
                ident=ind.ident,
                level=ind.level,
                letter=ind.letter,
                text=text,
                met=met.get(ind.pk),
                text_en_summary=ind.text_en_summary,
                indicator_id=ind.pk,
            )
        )
    reviews = _standard_reviews(assessment)
    standards: list[StandardData] = []
    by_standard: dict[int, StandardData] = {}
    for std in Standard.objects.filter(framework=fw).order_by("position"):
        review = reviews.get(std.code)
        block = StandardData(
            std.code,
            std.title,
            [],
            **{
                name: nfc(getattr(review, name, "") or "")
                for name in (
                    "intro",
                    "strengths",
                    "weaknesses",
                    "causes",
                    "direction",
                    "conclusion",
                )
            },
        )
        standards.append(block)
        by_standard[std.pk] = block
    for crit in Criterion.objects.filter(framework=fw).order_by("position"):
        sheet = sheets.get(crit.pk)
        livec = live.criteria.get(crit.code)
        person = ""
        if sheet is not None and sheet.assigned_to is not None:
            person = sheet.assigned_to.get_full_name() or sheet.assigned_to.username
        by_standard[crit.standard_id].criteria.append(
            CriterionData(
                code=crit.code,
                title=crit.title,
                standard_code=by_standard[crit.standard_id].code,
                mandatory=crit.mandatory,
                indicators=indicators.get(crit.pk, []),
                level=livec.level if livec else 0,
                top=livec.top if livec else 0,
                missing_next=list(livec.missing) if livec else [],
                current_state={
                    str(k): nfc(v) for k, v in (sheet.current_state if sheet else {}).items()
                },
                strengths=nfc(sheet.strengths) if sheet else "",
                weaknesses=nfc(sheet.weaknesses) if sheet else "",
                actions=actions.get(sheet.pk, []) if sheet else [],
                assigned_to=person,
                group=group_of.get(crit.pk, ""),
                cited=cited_by_sheet.get(sheet.pk, []) if sheet else [],
                filled=bool(sheet and sheet.filled),
            )
        )
    rule = data.get("rule") or {}
    version = next((v for v in fw.versions.all() if v.code == assessment.framework_version), None)
    docs = dict(data.get("documents") or {})
    years = year_table(
        school=assessment.school,
        latest=assessment.school_year,
        count=int(docs.get("data_years") or 5),
    )
    out = SAData(
        assessment=assessment,
        school=assessment.school,
        framework_code=fw.code,
        framework_title=fw.title,
        framework_short=fw.short_title,
        family=fw.family,
        legal_basis=str((data.get("legal_basis") or {}).get("text") or fw.legal_basis),
        version_title=version.title if version else "",
        documents=docs,
        level_names={
            int(lv["level"]): lv.get("name", f"Mức {lv['level']}") for lv in data.get("levels", [])
        },
        criterion_levels=[int(x) for x in rule.get("criterion_levels") or [1, 2]],
        school_levels_max=live.top_level,
        standards=standards,
        level4=indicators.get(None, []),
        live=live,
        style=style_from_data(data),
        evidence=evidence,
        citations_by_evidence=dict(citations_by_evidence),
        council=list(CouncilMember.objects.filter(assessment=assessment).select_related("group")),
        groups=groups,
        milestones=list(PlanMilestone.objects.filter(assessment=assessment)),
        prose=prose,
        years=years,
        conditions=conditions,
    )
    out.cited_codes = citations.check(out)
    return out


def _standard_reviews(assessment: Assessment) -> dict[str, Any]:
    """Per-standard texts (Mở đầu, Kết luận; TT57's Đánh giá chung) when the assessments app
    provides them."""
    return dict(standard_reviews(assessment=assessment))
