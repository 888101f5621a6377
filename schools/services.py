"""Writes to the school registry. Every function is atomic and checks the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope_for
from schools.importing import (
    WRITE_FIELDS,
    ImportPlan,
    RawRow,
    RowError,
    read_workbook,
    validate_rows,
)
from schools.models import School, SchoolLocation

BATCH = 1000


class ImportRejected(Exception):
    """Some row failed: nothing was written. `plan` holds every error for display."""

    def __init__(self, plan: ImportPlan):
        super().__init__(f"{len(plan.errors)} lỗi")
        self.plan = plan


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def school_import(*, user, rows: list[RawRow]) -> ImportResult:
    """Check every row again (the registry may have changed since the preview) and write all of
    them in one transaction, or none. bulk_create/bulk_update bypass save(), so the NFC text,
    search_text and sort_key are computed here with refresh_text_keys()."""
    with transaction.atomic():
        plan = validate_rows(user=user, rows=rows)
        if not plan.ok:
            raise ImportRejected(plan)
        now = timezone.now()
        new: list[School] = []
        changed: list[School] = []
        for row in plan.rows:
            if row.action == "new":
                school = School(code=row.data["code"], **{f: row.data[f] for f in WRITE_FIELDS})
                school.refresh_text_keys()
                new.append(school)
            elif row.action == "update":
                school = row.school
                for f in WRITE_FIELDS:
                    setattr(school, f, row.data[f])
                school.refresh_text_keys()
                school.updated_at = now  # auto_now is not applied by bulk_update
                school.version = F("version") + 1
                changed.append(school)
        try:
            School.objects.bulk_create(new, batch_size=BATCH)
            School.objects.bulk_update(
                changed,
                [*WRITE_FIELDS, "search_text", "sort_key", "updated_at", "version"],
                batch_size=BATCH // 4,
            )
        except IntegrityError as exc:
            # Someone else created one of these codes between our check and our insert.
            plan.errors.append(
                RowError(
                    None,
                    None,
                    _(
                        "Một số mã trường vừa được người khác thêm trong lúc nhập; không dòng "
                        "nào được ghi. Hãy tải tệp lên lại."
                    ),
                )
            )
            raise ImportRejected(plan) from exc
    return ImportResult(created=len(new), updated=len(changed), unchanged=plan.count("same"))


def school_import_file(*, user, fileobj: IO[bytes]) -> ImportResult:
    """Parse, check and write an .xlsx in one call (command line, benchmarks).
    Raises ImportFileError for an unreadable file, ImportRejected for row errors."""
    return school_import(user=user, rows=read_workbook(fileobj))


class EditConflict(Exception):
    """Someone saved the school after this user opened the form."""


class NotAllowed(Exception):
    """The user may not change this school or move it into that unit."""


_EDIT_FIELDS = [
    "name",
    "kind",
    "ownership",
    "special_type",
    "managing_body",
    "unit",
    "founded_year",
    "principal_name",
    "phone",
    "email",
    "address",
    "website",
    "note",
]


@transaction.atomic
def school_create(*, user, data: dict) -> School:
    scope = scope_for(user)
    if not scope.can_edit_unit(data["unit"]):
        raise NotAllowed(_("Bạn không có quyền thêm trường vào đơn vị này."))
    school = School(code=data["code"], **{f: data[f] for f in _EDIT_FIELDS if f in data})
    school.save()
    SchoolLocation.objects.create(school=school, unit=school.unit, valid_from=timezone.localdate())
    return school


@transaction.atomic
def school_update(*, user, school: School, data: dict, version: int) -> School:
    """Optimistic locking: the row is written only if its version is still the one the user
    loaded; otherwise EditConflict and nothing changes."""
    scope = scope_for(user)
    if not scope.can_edit_school(school) or not scope.can_edit_unit(data["unit"]):
        raise NotAllowed(_("Bạn không có quyền sửa thông tin trường này."))
    moved = data["unit"].pk != school.unit_id
    for field in _EDIT_FIELDS:
        if field in data:
            setattr(school, field, data[field])
    school.refresh_text_keys()
    values = {f: getattr(school, f) for f in _EDIT_FIELDS if f != "unit"}
    updated = School.objects.filter(pk=school.pk, version=version).update(
        **values,
        unit=school.unit,
        search_text=school.search_text,
        sort_key=school.sort_key,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise EditConflict(
            _(
                "Thông tin trường đã được người khác cập nhật sau khi bạn mở biểu mẫu. "
                "Nội dung bạn nhập vẫn còn bên dưới; hãy xem lại bản mới nhất rồi lưu lại."
            )
        )
    if moved:
        today = timezone.localdate()
        SchoolLocation.objects.filter(school=school, valid_to__isnull=True).update(valid_to=today)
        SchoolLocation.objects.create(school=school, unit=school.unit, valid_from=today)
    school.refresh_from_db()
    return school
