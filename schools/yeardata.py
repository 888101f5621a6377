"""School data by school year (Phần I "Cơ sở dữ liệu" of the self-assessment report): classes,
classrooms by solidity, staff, pupils and results over the last school years.

Pure Python, no Django import: the form, the report builders and the tests read the same
declaration. Which rows a school fills depends on its kind (a TH school has Khối 1–5, a
TH&THCS school Khối 1–9). A total row is declared as the sum of other rows and is never typed:
it is computed from its parts wherever it is shown, so a table cannot disagree with itself.

The exact row list of the MOET templates is UNCERTAIN (regulation.md §5, §8: "exact table
columns"); these rows follow the 2018 report template as practitioners fill it (classes per
grade, rooms kiên cố / bán kiên cố / tạm, staff by role and qualification, pupils by grade with
girls, ethnic minority, boarding, results) and TT57 Biểu 1's data table (3 school years)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MAX_VALUE = 1_000_000
_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")

# Grades by level of schooling; a multi-level kind is the union of its levels.
_GRADES = {
    "TH": [str(g) for g in range(1, 6)],
    "THCS": [str(g) for g in range(6, 10)],
    "THPT": [str(g) for g in range(10, 13)],
}
_KIND_LEVELS = {
    "TH": ["TH"],
    "THCS": ["THCS"],
    "THPT": ["THPT"],
    "TH&THCS": ["TH", "THCS"],
    "THCS&THPT": ["THCS", "THPT"],
    "TH&THCS&THPT": ["TH", "THCS", "THPT"],
    "GDTX": ["THCS", "THPT"],
}
# Mầm non: groups by age instead of grades.
_MN_GROUPS = [
    ("nt", "Nhóm trẻ (nhà trẻ)"),
    ("mg3", "Lớp mẫu giáo 3-4 tuổi"),
    ("mg4", "Lớp mẫu giáo 4-5 tuổi"),
    ("mg5", "Lớp mẫu giáo 5-6 tuổi"),
]


@dataclass(frozen=True)
class DataRow:
    key: str
    label: str
    sum_of: tuple[str, ...] = ()  # a total: computed from these rows, never typed
    unit: str = ""  # "lớp", "phòng", "người", "học sinh"
    indent: bool = False  # shown indented under the row above (a part of it)

    @property
    def is_total(self) -> bool:
        return bool(self.sum_of)


@dataclass(frozen=True)
class DataSection:
    key: str
    title: str
    rows: tuple[DataRow, ...]


@dataclass(frozen=True)
class Schema:
    kind: str
    sections: tuple[DataSection, ...]
    _rows: dict[str, DataRow] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            for row in section.rows:
                self._rows[row.key] = row

    @property
    def rows(self) -> list[DataRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def input_keys(self) -> list[str]:
        return [row.key for row in self.rows if not row.is_total]

    def row(self, key: str) -> DataRow:
        return self._rows[key]

    def section(self, key: str) -> DataSection:
        return next(s for s in self.sections if s.key == key)

    def value(self, values: Mapping[str, int | None], key: str) -> int | None:
        """A row's value: typed, or for a total the sum of its parts (None when no part has a
        value, so an empty year stays empty instead of showing zeros)."""
        row = self._rows[key]
        if not row.is_total:
            value = values.get(key)
            return int(value) if value is not None else None
        parts = [self.value(values, k) for k in row.sum_of]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None

    def complete(self, values: Mapping[str, int | None]) -> dict[str, int | None]:
        """Every row's value, totals included."""
        return {row.key: self.value(values, row.key) for row in self.rows}

    def filled_share(self, values: Mapping[str, int | None]) -> int:
        keys = self.input_keys
        if not keys:
            return 0
        return sum(1 for k in keys if values.get(k) is not None) * 100 // len(keys)


def _grade_rows(kind: str, prefix: str, label: str, unit: str) -> list[DataRow]:
    if kind == "MN":
        parts = [DataRow(f"{prefix}_{g}", name, unit=unit, indent=True) for g, name in _MN_GROUPS]
    else:
        grades = [g for level in _KIND_LEVELS.get(kind, ["TH"]) for g in _GRADES[level]]
        parts = [DataRow(f"{prefix}_{g}", f"Khối {g}", unit=unit, indent=True) for g in grades]
    total = DataRow(f"{prefix}_total", label, sum_of=tuple(p.key for p in parts), unit=unit)
    return [total, *parts]


def _result_rows(kind: str) -> list[DataRow]:
    if kind == "MN":
        return [
            DataRow("res_mn_done", "Trẻ 5 tuổi hoàn thành chương trình giáo dục mầm non"),
            DataRow("res_mn_health", "Trẻ phát triển bình thường về cân nặng và chiều cao"),
        ]
    levels = _KIND_LEVELS.get(kind, ["TH"])
    rows = [DataRow("res_promoted", "Học sinh lên lớp (hoàn thành chương trình lớp học)")]
    if "TH" in levels:
        rows.append(DataRow("res_th_done", "Học sinh hoàn thành chương trình tiểu học"))
    if "THCS" in levels:
        rows.append(DataRow("res_thcs_grad", "Học sinh tốt nghiệp trung học cơ sở"))
    if "THPT" in levels:
        rows.append(DataRow("res_thpt_grad", "Học sinh tốt nghiệp trung học phổ thông"))
    rows.append(DataRow("res_awards", "Học sinh đạt giải các cuộc thi, hội thi cấp huyện/tỉnh"))
    return rows


def schema_for(kind: str) -> Schema:
    """The data table of a school of `kind` (MN, TH, THCS, THPT, TH&THCS, …)."""
    pupil_word = "trẻ" if kind == "MN" else "học sinh"
    class_label = "Số nhóm, lớp" if kind == "MN" else "Số lớp"
    sections = (
        DataSection("classes", "Số lớp học", tuple(_grade_rows(kind, "cls", class_label, "lớp"))),
        DataSection(
            "rooms",
            "Cơ sở vật chất: phòng học theo mức độ kiên cố",
            (
                DataRow(
                    "room_total",
                    "Tổng số phòng học",
                    sum_of=("room_solid", "room_semi", "room_temp"),
                    unit="phòng",
                ),
                DataRow("room_solid", "Phòng học kiên cố", unit="phòng", indent=True),
                DataRow("room_semi", "Phòng học bán kiên cố", unit="phòng", indent=True),
                DataRow("room_temp", "Phòng học tạm", unit="phòng", indent=True),
                DataRow("room_function", "Phòng học bộ môn, phòng chức năng", unit="phòng"),
            ),
        ),
        DataSection(
            "staff",
            "Cán bộ quản lý, giáo viên, nhân viên",
            (
                DataRow(
                    "staff_total",
                    "Tổng số cán bộ quản lý, giáo viên, nhân viên",
                    sum_of=("staff_managers", "staff_teachers", "staff_employees"),
                    unit="người",
                ),
                DataRow("staff_managers", "Cán bộ quản lý", unit="người", indent=True),
                DataRow("staff_teachers", "Giáo viên", unit="người", indent=True),
                DataRow("staff_employees", "Nhân viên", unit="người", indent=True),
                # Seed 004's unit targets ("100% cán bộ quản lý có trình độ đại học", "trên 80%
                # … có trình độ đại học và trên đại học") are computed from these two rows.
                DataRow(
                    "managers_university",
                    "Cán bộ quản lý có trình độ đại học trở lên",
                    unit="người",
                ),
                DataRow(
                    "teachers_university", "Giáo viên có trình độ đại học trở lên", unit="người"
                ),
                DataRow(
                    "teachers_qualified",
                    "Giáo viên đạt chuẩn trình độ đào tạo trở lên",
                    unit="người",
                ),
                DataRow("teachers_above", "Giáo viên trên chuẩn trình độ đào tạo", unit="người"),
                DataRow("teachers_female", "Giáo viên nữ", unit="người"),
                DataRow("teachers_ethnic", "Giáo viên người dân tộc thiểu số", unit="người"),
            ),
        ),
        DataSection(
            "pupils",
            f"Số {pupil_word}",
            (
                *_grade_rows(kind, "pup", f"Tổng số {pupil_word}", pupil_word),
                DataRow("pup_female", "Nữ", unit=pupil_word),
                DataRow("pup_ethnic", "Người dân tộc thiểu số", unit=pupil_word),
                DataRow("pup_boarding", "Bán trú, nội trú", unit=pupil_word),
                DataRow("pup_disabled", "Khuyết tật học hòa nhập", unit=pupil_word),
                DataRow("pup_new", "Tuyển mới (nhóm, lớp đầu cấp)", unit=pupil_word),
            ),
        ),
        DataSection("results", "Kết quả giáo dục", tuple(_result_rows(kind))),
    )
    return Schema(kind=kind, sections=sections)


# ---------------------------------------------------------------------------------------------
# School years


def parse_school_year(value: str) -> int:
    """ "2024-2025" → 2024 (the year it starts). ValueError for anything else."""
    match = _YEAR_RE.match(str(value).strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValueError(f"Năm học “{value}” không đúng dạng YYYY-YYYY (ví dụ 2024-2025).")
    return int(match.group(1))


def school_year(start: int) -> str:
    return f"{start}-{start + 1}"


def last_school_years(latest: str, count: int) -> list[str]:
    """The `count` school years ending with `latest`, oldest first (the report's columns)."""
    start = parse_school_year(latest)
    return [school_year(y) for y in range(start - count + 1, start + 1)]


# ---------------------------------------------------------------------------------------------
# Validation of typed values


@dataclass
class CellError:
    year: str
    key: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"Năm học {self.year}, dòng “{self.label}”: {self.message}"


def clean_value(raw: object) -> int | None:
    """A typed cell: blank → None; digits with Vietnamese thousand dots ("1.250") → int.
    ValueError with a Vietnamese message otherwise."""
    if raw is None:
        return None
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    if not text.isdigit():
        raise ValueError("phải là số nguyên không âm")
    value = int(text)
    if value > MAX_VALUE:
        raise ValueError(f"lớn hơn {MAX_VALUE:,}".replace(",", "."))
    return value


def clean_year(schema: Schema, year: str, raw: Mapping[str, object]) -> tuple[dict, list]:
    """(values, errors) of one school year's typed cells; totals are ignored (computed)."""
    values: dict[str, int] = {}
    errors: list[CellError] = []
    for key in schema.input_keys:
        try:
            value = clean_value(raw.get(key))
        except ValueError as exc:
            errors.append(CellError(year, key, schema.row(key).label, str(exc)))
            continue
        if value is not None:
            values[key] = value
    errors.extend(consistency_errors(schema, year, values))
    return values, errors


def consistency_errors(schema: Schema, year: str, values: Mapping[str, int]) -> list[CellError]:
    """Parts that cannot exceed their whole (girls ≤ pupils, qualified ≤ teachers…)."""
    checks: Iterable[tuple[str, str]] = (
        ("teachers_qualified", "staff_teachers"),
        ("teachers_above", "teachers_qualified"),
        ("managers_university", "staff_managers"),
        ("teachers_university", "staff_teachers"),
        ("teachers_female", "staff_teachers"),
        ("teachers_ethnic", "staff_teachers"),
        ("pup_female", "pup_total"),
        ("pup_ethnic", "pup_total"),
        ("pup_boarding", "pup_total"),
        ("pup_disabled", "pup_total"),
        ("pup_new", "pup_total"),
        ("res_promoted", "pup_total"),
    )
    out = []
    for part, whole in checks:
        if part not in schema._rows or whole not in schema._rows:
            continue
        p, w = values.get(part), schema.value(values, whole)
        if p is not None and w is not None and p > w:
            out.append(
                CellError(
                    year,
                    part,
                    schema.row(part).label,
                    f"{p} lớn hơn “{schema.row(whole).label}” ({w})",
                )
            )
    return out
