"""One decision checked against the school's register before it is written (no writes): used
by the form (recognition.services.recognition_record) and the Excel import
(recognition.importing) alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from core.text import nfc
from recognition import rules
from recognition.frameworks_ref import framework_in_force, is_known
from schools.models import School

FIELDS = (
    "kind",
    "number",
    "signed_on",
    "signing_body",
    "signer_title",
    "signer_name",
    "level",
    "framework_code",
    "note",
)


@dataclass
class Cleaned:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def clean_decision(
    *,
    school: School,
    data: dict[str, Any],
    prior: list[Any],
    today: dt.date,
    decision_id: int | None = None,
) -> Cleaned:
    """Normalise and check one decision against the school's register (no writes): `prior` is
    every decision the school already has, of any date. A correction passes the decision's own
    id (`decision_id`, the decision itself left out of `prior`), so it keeps its place among
    the decisions of its day."""
    out = Cleaned()
    v = out.values
    for key in FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            # NFC, and single-line fields with runs of spaces collapsed (duplicates compare).
            value = nfc(value).strip() if key == "note" else " ".join(nfc(value).split())
        v[key] = value
    if not v.get("number"):
        out.add("number", "Chưa ghi số quyết định.")
    if not v.get("signing_body"):
        out.add("signing_body", "Chưa ghi cơ quan ban hành.")
    if not isinstance(v.get("signed_on"), dt.date):
        out.add("signed_on", "Chưa có ngày ký hợp lệ (dd/mm/yyyy).")
        return out
    if v.get("kind") not in rules.TRACK_OF:
        out.add("kind", "Chưa chọn loại quyết định hợp lệ.")
        return out
    if v["kind"] == rules.STANDARD_UPGRADE and not v.get("level"):
        v["level"] = 2  # an upgrade is by definition to Mức độ 2
    if v["kind"] in rules.REVOCATIONS:
        v["level"] = None
    code = v.get("framework_code") or ""
    if not code and v["kind"] not in rules.REVOCATIONS:
        # Filled from the school kind and date when left empty, so nobody types it twice.
        code = framework_in_force(school.kind, v["signed_on"])
    if code and not is_known(code):
        out.add(
            "framework_code",
            f"Không có bộ tiêu chuẩn mã «{code}». Để trống để hệ thống tự chọn theo cấp học và"
            " ngày ký.",
        )
    v["framework_code"] = code
    number = v.get("number") or ""
    track = rules.TRACK_OF[v["kind"]]
    for p in prior:
        d = rules.as_decision(p)
        # One signed decision may recognise both the accreditation (Cấp độ) and the national
        # standard (Mức độ): the same number and date once per track.
        if d.number and d.number == number and d.signed_on == v["signed_on"] and d.track == track:
            out.add(
                "number",
                f"Quyết định số {number} ngày {v['signed_on']:%d/%m/%Y} đã có trong sổ của trường.",
            )
            break
    # The whole register with the new decision inserted at its date: a back-dated decision
    # must not make a later one impossible (recognition.rules.check_sequence).
    new = {**v, "id": decision_id} if decision_id is not None else v
    for problem in rules.check_sequence(prior, new, today=today):
        out.add(problem.field, problem.message)
    return out
