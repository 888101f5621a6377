"""Writes to the school registry. Every function is atomic and checks the user's scope."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import has_perm
from core import audit, concurrency

# The import (spec, checks and write) lives in schools.importing on the core.imports pipeline;
# re-exported here for callers of the service layer (bench, commands).
from schools.importing import (  # noqa: F401
    ImportRejected,
    ImportResult,
    school_import,
    school_import_file,
)
from schools.models import School, SchoolLocation, SchoolSite


class EditConflict(concurrency.EditConflict):
    """Someone saved the school after this user opened the form."""


class NotAllowed(Exception):
    """The user may not change this school or move it into that unit."""


class DuplicateNationalCode(NotAllowed):
    """Another school took this national database code between the form's check and the
    write; shown like a refusal, the typed values kept."""


class InvalidSites(Exception):
    """The sites (điểm trường) sent would leave the school in an impossible state."""


@dataclass(frozen=True)
class SiteInput:
    """One điểm trường row of the edit form: id None = new; delete = remove it."""

    id: int | None
    name: str
    address: str = ""
    is_main: bool = False
    delete: bool = False


_EDIT_FIELDS = [
    "national_code",
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


# The school's principal keeps these up to date (and the sites). Everything else — code, name,
# kind, ownership, special type, managing body, commune, note — is the managing unit's: it
# follows decisions of the unit (establishment, renaming, moving) and feeds its statistics.
SCHOOL_FIELDS = ("founded_year", "principal_name", "phone", "email", "address", "website")


def editable_fields(*, user, school: School) -> frozenset[str]:
    """The registry fields this user may change on this school; empty = may not edit it."""
    if has_perm(user, "school.edit", school):
        return frozenset(_EDIT_FIELDS)
    if has_perm(user, "school.edit_contacts", school):
        return frozenset(SCHOOL_FIELDS)
    return frozenset()


def _label(field: str) -> str:
    return f"«{School._meta.get_field(field).verbose_name}»"


@transaction.atomic
def school_create(*, user, data: dict) -> School:
    if not has_perm(user, "school.create", data["unit"]):
        raise NotAllowed(_("Bạn không có quyền thêm trường vào đơn vị này."))
    school = School(code=data["code"], **{f: data[f] for f in _EDIT_FIELDS if f in data})
    with _national_code_race():
        school.save()
    SchoolLocation.objects.create(school=school, unit=school.unit, valid_from=timezone.localdate())
    return school


@contextmanager
def _national_code_race() -> Iterator[None]:
    """The form checked the national code; a concurrent save may still take it first. The
    savepoint keeps the caller's transaction usable for the refusal."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        if "national_code" not in str(exc):
            raise
        raise DuplicateNationalCode(
            _("Mã trường CSDL ngành vừa được người khác dùng cho trường khác; hãy kiểm tra lại.")
        ) from exc


@transaction.atomic
def school_update(
    *, user, school: School, data: dict, version: int, sites: list[SiteInput] | None = None
) -> School:
    """Optimistic locking: the row is written only if its version is still the one the user
    loaded; otherwise EditConflict and nothing changes (sites included). Only the fields the
    user may edit are written; a changed value in any other field is refused (NotAllowed)."""
    editable = editable_fields(user=user, school=school)
    if not editable:
        raise NotAllowed(_("Bạn không có quyền sửa thông tin trường này."))
    refused = [
        f for f in _EDIT_FIELDS if f in data and f not in editable and data[f] != getattr(school, f)
    ]
    if refused:
        raise NotAllowed(
            _("Bạn không có quyền sửa: %(fields)s (do đơn vị quản lý cập nhật).")
            % {"fields": ", ".join(_label(f) for f in refused)}
        )
    fields = [f for f in _EDIT_FIELDS if f in data and f in editable]
    if "unit" in fields and not has_perm(user, "school.create", data["unit"]):
        raise NotAllowed(_("Bạn không có quyền chuyển trường sang đơn vị này."))
    moved = "unit" in fields and data["unit"].pk != school.unit_id
    for field in fields:
        setattr(school, field, data[field])
    school.refresh_text_keys()
    values = {f: getattr(school, f) for f in fields}
    with _national_code_race():
        updated = School.objects.filter(pk=school.pk, version=version).update(
            **values,
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
    audit.record_update(school, user=user)  # audit: the locked update() bypasses save()
    if moved:
        today = timezone.localdate()
        for location in SchoolLocation.objects.filter(school=school, valid_to__isnull=True):
            location.valid_to = today
            location.save(update_fields=["valid_to"])  # save(): the audit trail records it
        SchoolLocation.objects.create(school=school, unit=school.unit, valid_from=today)
    if sites is not None:
        _apply_sites(school, sites)
    school.refresh_from_db()
    return school


def _apply_sites(school: School, sites: list[SiteInput]) -> None:
    """Create, change and delete the school's sites (inside school_update's transaction)."""
    existing = {site.pk: site for site in SchoolSite.objects.filter(school=school)}
    if any(s.id is not None and s.id not in existing for s in sites):
        # A site of another school: never touched, whatever the form said.
        raise NotAllowed(_("Điểm trường không thuộc trường này."))
    for item in sites:
        if item.id is not None:
            site = existing[item.id]
            if item.delete:
                site.delete()
                continue
        elif item.delete or not item.name.strip():
            continue
        else:
            site = SchoolSite(school=school)
        site.name, site.address, site.is_main = item.name, item.address, item.is_main
        site.save()  # save() stores NFC
    if SchoolSite.objects.filter(school=school, is_main=True).count() > 1:
        raise InvalidSites(_("Chỉ một điểm trường được đánh dấu là điểm chính."))
