"""The public summaries, built once at publication from the locked record. Each builder copies
named public fields only (levels, criterion codes and titles, dates, improvement actions and
their timing) — never a person's name, an account, a phone number or an evidence file — so the
public pages cannot show what was not meant to be public."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assessments import levels
from assessments.models import Assessment, Snapshot
from evaluation.models import Evaluation, TeamJudgment
from frameworks.models import Criterion, Framework


def _criteria(framework: Framework) -> dict[str, tuple[str, str, str]]:
    """code → (standard code, standard title, criterion title)."""
    return {
        c.code: (c.standard.code, c.standard.title, c.title)
        for c in Criterion.objects.filter(framework=framework)
        .select_related("standard")
        .order_by("position")
    }


def _standards(framework: Framework, levels_by_code: dict[str, int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for code, (std_code, std_title, title) in _criteria(framework).items():
        if not out or out[-1]["code"] != std_code:
            out.append({"code": std_code, "title": std_title, "criteria": []})
        out[-1]["criteria"].append(
            {"code": code, "title": title, "level": levels_by_code.get(code, 0)}
        )
    return out


def latest_snapshot(assessment: Assessment) -> Snapshot | None:
    """The accepted snapshot if there is one, else the latest submitted one."""
    snaps = list(assessment.snapshots.order_by("-created_at", "-pk"))
    accepted = [s for s in snaps if s.kind == "accept"]
    return (accepted or snaps or [None])[0]


def self_assessment_summary(assessment: Assessment) -> dict[str, Any]:
    snapshot = latest_snapshot(assessment)
    if snapshot is None:
        raise ValueError("no snapshot")
    content = snapshot.content
    by_code = {s["criterion"]: int(s.get("level") or 0) for s in content.get("sheets", [])}
    framework = assessment.framework
    return {
        "school_year": assessment.school_year,
        "framework": framework.code,
        "framework_title": framework.short_title or framework.title,
        "family": framework.family,
        "status": assessment.status,
        "snapshot_date": snapshot.created_at.date().isoformat(),
        "sha256": snapshot.sha256,
        "school_level": int(content.get("school_level") or 0),
        "standards": _standards(framework, by_code),
    }


def improvement_plan_summary(assessment: Assessment) -> dict[str, Any]:
    """Per criterion: what will be improved and when. `responsible` is left out: it often names
    a person."""
    snapshot = latest_snapshot(assessment)
    if snapshot is None:
        raise ValueError("no snapshot")
    titles = _criteria(assessment.framework)
    rows = []
    for sheet in snapshot.content.get("sheets", []):
        for action in sheet.get("actions", []):
            text = (action.get("action") or "").strip()
            if text:
                rows.append(
                    {
                        "criterion": sheet["criterion"],
                        "criterion_title": titles.get(sheet["criterion"], ("", "", ""))[2],
                        "action": text,
                        "start": action.get("start") or "",
                        "end": action.get("end") or "",
                    }
                )
    return {
        "school_year": assessment.school_year,
        "framework": assessment.framework.code,
        "snapshot_date": snapshot.created_at.date().isoformat(),
        "actions": rows,
    }


def team_levels(evaluation: Evaluation) -> levels.LiveLevels:
    """The engine's levels from the team's consolidated judgments (not decided = not met)."""
    rows = [
        levels.Row(ident, met, criterion_id is None)
        for ident, met, criterion_id in TeamJudgment.objects.filter(
            evaluation=evaluation
        ).values_list("indicator__ident", "met", "indicator__criterion_id")
    ]
    return levels.evaluate(
        evaluation.framework.compiled(),
        rows,
        version=evaluation.assessment.framework_version,
    )


def external_evaluation_summary(evaluation: Evaluation) -> dict[str, Any]:
    live = team_levels(evaluation)
    by_code = {code: c.level for code, c in live.criteria.items()}
    decision = evaluation.decision
    final_on: dt.date | None = evaluation.final_at.date() if evaluation.final_at else None
    return {
        "school_year": evaluation.assessment.school_year,
        "framework": evaluation.framework.code,
        "framework_title": evaluation.framework.short_title or evaluation.framework.title,
        "family": evaluation.framework.family,
        "final_date": final_on.isoformat() if final_on else "",
        "sha256": evaluation.final_sha256,
        "school_level": live.school_level,
        "self_level": evaluation.assessment.computed_level,
        "proposal_level": evaluation.proposal_level,
        "proposal_accreditation_level": evaluation.proposal_accreditation_level,
        "outcome": evaluation.outcome,
        "decision": (
            {"number": decision.number, "signed_on": decision.signed_on.isoformat()}
            if decision
            else None
        ),
        "standards": _standards(evaluation.framework, by_code),
    }
