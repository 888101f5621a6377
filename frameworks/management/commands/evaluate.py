"""`python manage.py evaluate FILE` (`-` = stdin): evaluate one school's results with the level
engine, straight from the framework data files (no database needed).

Input:  {"framework": "TT17-2018", "met": ["1.1-M1a", …], "level4_met": ["M4-1"],
         "conditions": {"cohort_completed": true}, "version": "TT22-2024" (optional)}
Output: JSON with framework, criteria (code → level), school_level, accreditation_level,
        national_standard_level, unmet_conditions and next_level {level, blockers} (null at top).
Unknown framework, version or indicator id → exit status 2 and a message naming it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from frameworks import engine


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = "Tính mức đạt của một trường từ tệp JSON kết quả (FILE, hoặc - để đọc stdin)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Tệp JSON kết quả tự đánh giá, hoặc - để đọc stdin.")

    def handle(self, *args, file: str, **options) -> None:
        payload = self._read(file)
        try:
            framework = engine.get(str(payload.get("framework", "")))
            result = engine.evaluate(
                framework,
                _ids(payload, "met"),
                _ids(payload, "level4_met"),
                _conditions(payload),
                version=payload.get("version"),
            )
        except engine.FrameworkError as exc:
            raise _fail(str(exc)) from exc
        out = result.to_dict()
        ignored = sorted(set(payload.get("conditions") or {}) - set(framework.condition_names))
        if ignored:
            out["ignored_conditions"] = ignored
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))

    def _read(self, file: str) -> dict[str, Any]:
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except OSError as exc:
            raise _fail(f"Không đọc được tệp {file}: {exc.strerror}.") from exc
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _fail(
                f"Tệp {file} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})."
            ) from exc
        if not isinstance(payload, dict) or "framework" not in payload:
            raise _fail('Thiếu khóa "framework" (ví dụ: {"framework": "TT17-2018", "met": []}).')
        return payload


def _ids(payload: dict[str, Any], key: str) -> set[str]:
    value = payload.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(f'"{key}" phải là danh sách mã (chuỗi).')
    return set(value)


def _conditions(payload: dict[str, Any]) -> dict[str, bool]:
    value = payload.get("conditions") or {}
    if not isinstance(value, dict):
        raise _fail('"conditions" phải là đối tượng {"tên_điều_kiện": true/false}.')
    return {str(k): v is True for k, v in value.items()}
