"""Writes on the evidence register. Every function checks who may write, validates in
Vietnamese and runs in one transaction.

Codes: the sequence is per (assessment, first criterion). Two uploads for the same criterion at
the same moment must not get the same number, so the next number is read with the assessment row
locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers anyway — the project opens
SQLite transactions IMMEDIATE) and the unique constraints (assessment, code) and (assessment,
criterion, seq) back this up: a collision is retried with a fresh number instead of failing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Prefetch
from django.utils.translation import gettext as _

from accounts.permissions import CriterionOf, has_perm
from assessments.changelog import change_log_record
from assessments.models import Assessment, CriterionSheet
from core import audit
from core.concurrency import version_claim
from core.text import nfc
from frameworks.codes import CodeStyle, style_from_data
from frameworks.models import Criterion

from .models import Evidence, EvidenceCitation
from .uploads import CheckedFile, UploadRejected, check_upload

CODE_RETRIES = 5
TEXT_FIELDS = ("name", "number", "issuer", "note")
MAX_LENGTHS = {"name": 500, "number": 120, "issuer": 255, "link": 1000}
_url_validator = URLValidator(schemes=["http", "https"])


def _refresh_lock(assessment: Assessment) -> None:
    """Rights depend on the lock as stored now, not as the caller loaded it. Inside a
    transaction the assessment row stays locked until the end (as assessment_submit locks it),
    so a submit cannot slip between this check and the write."""
    qs = Assessment.objects.filter(pk=assessment.pk)
    if connection.in_atomic_block:
        qs = qs.select_for_update()
    status, locked = qs.values_list("status", "locked").get()
    assessment.status, assessment.locked = status, locked


def _refuse(assessment: Assessment, message: str) -> None:
    if not assessment.is_editable:
        raise PermissionDenied(
            _("Đợt tự đánh giá đã nộp hoặc đã khóa: không thể thay đổi minh chứng.")
        )
    raise PermissionDenied(message)


def _require_manage(user, assessment: Assessment) -> None:
    """The whole register (import, carrying over): the cycle's managers."""
    _refresh_lock(assessment)
    if not has_perm(user, "evidence.manage", assessment):
        _refuse(
            assessment,
            _(
                "Chỉ hiệu trưởng, chủ tịch hoặc thư ký hội đồng được thay đổi toàn bộ danh mục "
                "minh chứng."
            ),
        )


def _require_add(user, assessment: Assessment, criterion_id: int | None = None) -> None:
    _refresh_lock(assessment)
    allowed = (
        has_perm(user, "evidence.add", assessment)
        if criterion_id is None
        else has_perm(user, "evidence.add", CriterionOf(assessment, criterion_id))
    )
    if not allowed:
        _refuse(
            assessment,
            _(
                "Bạn chỉ được thêm, sửa minh chứng của tiêu chí được phân công cho mình hoặc "
                "cho nhóm của mình."
            ),
        )


def _require_item(user, evidence: Evidence) -> None:
    _refresh_lock(evidence.assessment)
    if not has_perm(user, "evidence.edit", evidence):
        _refuse(
            evidence.assessment,
            _(
                "Bạn chỉ được sửa, xóa minh chứng của tiêu chí được phân công cho mình hoặc cho "
                "nhóm của mình."
            ),
        )


def _record(user, assessment: Assessment, changes, *, sheet=None, note: str = "") -> None:
    """Every change of the register goes to the assessment's change log (per sheet for
    citations)."""
    change_log_record(user=user, assessment=assessment, changes=changes, sheet=sheet, note=note)


def _label(evidence: Evidence, style: CodeStyle | None = None) -> str:
    style = style or style_for(evidence.assessment)
    return f"{style.show(evidence.code)} {evidence.name}"


def style_for(assessment: Assessment) -> CodeStyle:
    return style_from_data(assessment.framework.data)


def default_box(criterion: Criterion) -> int:
    """2018 guidance: usually one box per standard, so box n = standard number."""
    code = str(criterion.standard.code)
    return int(code) if code.isdigit() else criterion.standard.position + 1


def _clean_metadata(
    assessment: Assessment, data: dict[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """NFC, trimmed, length-checked metadata; ValidationError keyed by field otherwise."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key in TEXT_FIELDS:
        if partial and key not in data:
            continue
        value = nfc(data.get(key) or "")
        if key != "note":
            value = " ".join(value.split())
        if key in MAX_LENGTHS and len(value) > MAX_LENGTHS[key]:
            errors[key] = _("Dài quá %(n)s ký tự.") % {"n": MAX_LENGTHS[key]}
        out[key] = value
    if (not partial or "name" in data) and not out.get("name"):
        errors["name"] = _("Hãy nhập tên minh chứng.")
    if not partial or "link" in data:
        link = nfc(data.get("link") or "")
        if link:
            try:
                _url_validator(link)
            except ValidationError:
                errors["link"] = _(
                    "Đường dẫn không hợp lệ: phải bắt đầu bằng http:// hoặc https://."
                )
        out["link"] = link
    if not partial or "issued_on" in data:
        issued = data.get("issued_on")
        if issued and not isinstance(issued, dt.date):
            errors["issued_on"] = _("Ngày ban hành không hợp lệ.")
        out["issued_on"] = issued or None
    if not partial or "box" in data:
        box = data.get("box")
        if box in ("", None):
            out["box"] = None
        else:
            try:
                box = int(box)
                if not 1 <= box <= 999:
                    raise ValueError
                out["box"] = box
            except (TypeError, ValueError):
                errors["box"] = _("Số hộp phải là số nguyên từ 1 đến 999.")
    if not partial or "first_criterion" in data:
        crit = data.get("first_criterion")
        if isinstance(crit, int | str) and str(crit).isdigit():
            crit = Criterion.objects.filter(pk=int(crit)).select_related("standard").first()
        if not isinstance(crit, Criterion):
            errors["first_criterion"] = _("Hãy chọn tiêu chí.")
        elif crit.framework_id != assessment.framework_id:
            errors["first_criterion"] = _(
                "Tiêu chí %(code)s không thuộc bộ tiêu chuẩn của đợt tự đánh giá này."
            ) % {"code": crit.code}
        out["first_criterion"] = crit
    if errors:
        raise ValidationError(errors)
    return out


def _check_file(
    assessment: Assessment,
    file: IO[bytes],
    name: str,
    size: int | None,
    exclude_pk: int | None = None,
) -> CheckedFile:
    try:
        checked = check_upload(file, name, size)
    except UploadRejected as exc:
        raise ValidationError({"file": str(exc)}) from exc
    same = Evidence.objects.filter(assessment=assessment, sha256=checked.sha256)
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    twin = same.first()
    if twin is not None:
        # The regulation: one code per document, cited again by other criteria.
        raise ValidationError(
            {
                "file": _(
                    "Tệp này đã có trong danh mục với mã %(code)s (%(name)s). Hãy trích dẫn lại "
                    "minh chứng đó thay vì tải lên lần nữa."
                )
                % {"code": style_for(assessment).show(twin.code), "name": twin.name}
            }
        )
    return checked


def _store_file(evidence: Evidence, file: IO[bytes], checked: CheckedFile) -> None:
    file.seek(0)
    # The storage key is random (models.evidence_upload_to); only the extension comes from us.
    evidence.file.save(f"upload.{checked.kind.ext}", File(file), save=False)
    evidence.original_name = checked.name
    evidence.content_type = checked.kind.content_type
    evidence.size = checked.size
    evidence.sha256 = checked.sha256


def _delete_stored(name: str, storage) -> None:
    if name:
        try:
            storage.delete(name)
        except OSError:
            pass  # an already missing file is the state we wanted


def next_seq(assessment: Assessment, criterion: Criterion) -> int:
    top = Evidence.objects.filter(assessment=assessment, first_criterion=criterion).aggregate(
        top=Max("seq")
    )["top"]
    return (top or 0) + 1


def _insert_with_code(evidence: Evidence) -> Evidence:
    """Give `evidence` the next free code of its criterion and insert it (see module doc)."""
    assessment = evidence.assessment
    style = style_for(assessment)
    criterion = evidence.first_criterion
    box = evidence.box or default_box(criterion)
    for attempt in range(CODE_RETRIES):
        try:
            with transaction.atomic():
                Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
                evidence.seq = next_seq(assessment, criterion)
                evidence.code = style.make(criterion=criterion.code, seq=evidence.seq, box=box)
                evidence.pk = None
                evidence.save(force_insert=True)
                return evidence
        except IntegrityError:
            if attempt == CODE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def evidence_create(
    *,
    user,
    assessment: Assessment,
    data: dict[str, Any],
    file: IO[bytes] | None = None,
    file_name: str | None = None,
) -> Evidence:
    """Add one item to the register: a file (checked by content), a link, or a paper document
    kept in a box (neither). `data`: first_criterion (Criterion or id), name, number,
    issued_on (date), issuer, note, box, link."""
    _require_add(user, assessment)
    clean = _clean_metadata(assessment, data)
    _require_add(user, assessment, clean["first_criterion"].pk)
    evidence = Evidence(assessment=assessment, uploaded_by=user, **clean)
    checked = None
    if file is not None:
        name = file_name or getattr(file, "name", "") or ""
        checked = _check_file(assessment, file, name, getattr(file, "size", None))
        _store_file(evidence, file, checked)
    try:
        with transaction.atomic():
            _require_add(user, assessment, clean["first_criterion"].pk)  # again, row locked
            _insert_with_code(evidence)
            _record(
                user,
                assessment,
                [(f"evidence:{style_for(assessment).show(evidence.code)}", "", evidence.name)],
                note=_("Thêm minh chứng"),
            )
    except Exception:
        if checked is not None:
            _delete_stored(evidence.file.name, evidence.file.storage)
        raise
    return evidence


def evidence_update(
    *,
    user,
    evidence: Evidence,
    data: dict[str, Any],
    file: IO[bytes] | None = None,
    file_name: str | None = None,
    remove_file: bool = False,
    version: int | None = None,
) -> Evidence:
    """Change metadata, replace or remove the file. The code and the first criterion never
    change here: the code is already printed in texts and on boxes (a changed box number is
    recorded but does not re-code). `version` is the one the form was read at: if someone
    saved the item since, EditConflict (core.concurrency) and nothing is written."""
    assessment = evidence.assessment
    _require_item(user, evidence)
    data = {k: v for k, v in data.items() if k != "first_criterion"}
    clean = _clean_metadata(assessment, data, partial=True)
    code = style_for(assessment).show(evidence.code)
    changes = [
        (f"evidence:{code}.{key}", getattr(evidence, key), value)
        for key, value in clean.items()
        if getattr(evidence, key) != value
    ]
    old_original = evidence.original_name
    old_name = evidence.file.name if evidence.file else ""
    storage = evidence.file.storage
    checked = None
    if file is not None:
        name = file_name or getattr(file, "name", "") or ""
        checked = _check_file(assessment, file, name, getattr(file, "size", None), evidence.pk)
        _store_file(evidence, file, checked)
    elif remove_file and old_name:
        evidence.file = None
        evidence.original_name = evidence.content_type = evidence.sha256 = ""
        evidence.size = None
    for key, value in clean.items():
        setattr(evidence, key, value)
    if checked is not None or (remove_file and old_name):
        changes.append((f"evidence:{code}.file", old_original, evidence.original_name))
    try:
        with transaction.atomic():
            _require_item(user, evidence)  # again, row locked
            version_claim(evidence, version, refresh=False)
            evidence.save()
            _record(user, assessment, changes)
            if old_name and (checked is not None or remove_file):
                transaction.on_commit(lambda: _delete_stored(old_name, storage))
    except Exception:
        if checked is not None:
            _delete_stored(evidence.file.name, storage)
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, user, evidence: Evidence) -> None:
    """Delete an item that no sheet cites. Its code is not reused (numbers may have gaps):
    a code once printed must never come to mean another document."""
    _require_item(user, evidence)
    if evidence.citations.exists():
        raise ValidationError(
            _("Minh chứng %(code)s đang được trích dẫn; hãy bỏ trích dẫn trước khi xóa.")
            % {"code": evidence.display_code}
        )
    name, storage = (evidence.file.name if evidence.file else ""), evidence.file.storage
    evidence._change_reason = _("Xóa minh chứng")  # the history row of the deletion
    _record(
        user,
        evidence.assessment,
        [(f"evidence:{evidence.display_code}", evidence.name, "")],
        note=_("Xóa minh chứng"),
    )
    evidence.delete()
    transaction.on_commit(lambda: _delete_stored(name, storage))


@transaction.atomic
def evidence_cite(*, user, evidence: Evidence, sheet: CriterionSheet) -> EvidenceCitation:
    """Cite an item in a criterion sheet (idempotent). It keeps its code, whatever criterion
    the sheet is for."""
    if sheet.assessment_id != evidence.assessment_id:
        raise ValidationError(
            _("Minh chứng và phiếu đánh giá không thuộc cùng một đợt tự đánh giá.")
        )
    _refresh_lock(sheet.assessment)
    if not has_perm(user, "evidence.cite", sheet):
        raise PermissionDenied(_("Bạn không có quyền sửa phiếu đánh giá tiêu chí này."))
    existing = EvidenceCitation.objects.filter(evidence=evidence, sheet=sheet).first()
    if existing is not None:
        return existing
    top = EvidenceCitation.objects.filter(sheet=sheet).aggregate(top=Max("position"))["top"]
    citation = EvidenceCitation.objects.create(
        evidence=evidence, sheet=sheet, position=(top or 0) + 1, created_by=user
    )
    _record(user, sheet.assessment, [("citation", "", _label(evidence))], sheet=sheet)
    return citation


@transaction.atomic
def evidence_uncite(*, user, evidence: Evidence, sheet: CriterionSheet) -> bool:
    _refresh_lock(sheet.assessment)
    if not has_perm(user, "evidence.cite", sheet):
        raise PermissionDenied(_("Bạn không có quyền sửa phiếu đánh giá tiêu chí này."))
    deleted, _detail = EvidenceCitation.objects.filter(evidence=evidence, sheet=sheet).delete()
    if deleted:
        _record(user, sheet.assessment, [("citation", _label(evidence), "")], sheet=sheet)
    return bool(deleted)


# ---------------------------------------------------------------------------------------------
# Carrying the register into the next cycle


@dataclass
class CarryResult:
    mapping: dict[str, str] = field(default_factory=dict)  # old bare code → new bare code
    dropped: list[str] = field(default_factory=list)  # old bare codes of items left behind
    items: int = 0
    citations: int = 0
    not_carried: list[str] = field(default_factory=list)


def _copy_stored_file(old: Evidence, new: Evidence) -> bool:
    """A copy under a new random key: deleting the item in one cycle must not take the file
    away from the other."""
    ext = old.file.name.rsplit(".", 1)[-1] if "." in old.file.name else "bin"
    try:
        with old.file.open("rb") as handle:
            new.file.save(f"upload.{ext}", File(handle), save=False)
    except OSError:
        return False
    for key in ("original_name", "content_type", "size", "sha256"):
        setattr(new, key, getattr(old, key))
    return True


def evidence_carry_over(
    *, user, source: Assessment, target: Assessment, with_citations: bool
) -> CarryResult:
    """Copy the register of `source` (the previous cycle) into `target`, a cycle just opened.

    An item goes under the criterion with the same code in the new framework (its first
    criterion, else the first criterion citing it that still exists). It keeps its code when
    the code style and the criterion are the same; otherwise it is re-coded in the new style
    and `mapping` says old → new so the texts can be rewritten (codes.rewrite_codes). With
    `with_citations`, citations follow to the sheet of the same criterion code. Whatever cannot
    follow is listed in Vietnamese in `not_carried`."""
    _require_manage(user, target)
    result = CarryResult()
    old_style, new_style = style_for(source), style_for(target)
    same_style = old_style.template == new_style.template
    criteria = {
        c.code: c
        for c in Criterion.objects.filter(framework=target.framework).select_related("standard")
    }
    sheets = {s.criterion.code: s for s in target.sheets.select_related("criterion")}
    items = list(
        Evidence.objects.filter(assessment=source)
        .select_related("first_criterion")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=EvidenceCitation.objects.select_related("sheet__criterion").order_by(
                    "position", "pk"
                ),
            )
        )
        .order_by("first_criterion__position", "seq", "pk")
    )
    carried: dict[int, Evidence] = {}
    log: list[tuple[str, str, str]] = []
    for old in items:
        crit = criteria.get(old.first_criterion.code)
        if crit is None:
            crit = next(
                (
                    criteria[c.sheet.criterion.code]
                    for c in old.citations.all()
                    if c.sheet.criterion.code in criteria
                ),
                None,
            )
        if crit is None:
            result.not_carried.append(
                _(
                    "Minh chứng %(code)s (%(name)s): tiêu chí %(crit)s không có trong %(fw)s "
                    "nên không chuyển sang."
                )
                % {
                    "code": old_style.show(old.code),
                    "name": old.name,
                    "crit": old.first_criterion.code,
                    "fw": target.framework.code,
                }
            )
            result.dropped.append(old.code)
            continue
        new = Evidence(
            assessment=target,
            first_criterion=crit,
            uploaded_by=user,
            **{
                k: getattr(old, k)
                for k in ("box", "name", "number", "issued_on", "issuer", "note", "link")
            },
        )
        if old.file and not _copy_stored_file(old, new):
            result.not_carried.append(
                _("Minh chứng %(code)s: không đọc được tệp đính kèm; chỉ chuyển thông tin.")
                % {"code": old_style.show(old.code)}
            )
        inserted = False
        if same_style and crit.code == old.first_criterion.code:
            try:
                with transaction.atomic():
                    new.seq, new.code = old.seq, old.code
                    new.save(force_insert=True)
                    inserted = True
            except IntegrityError:
                new.pk = None
        if not inserted:
            _insert_with_code(new)
        carried[old.pk] = new
        result.mapping[old.code] = new.code
        result.items += 1
        log.append((f"evidence:{new_style.show(new.code)}", "", new.name))
    if with_citations:
        rows = []
        for old in items:
            for cit in old.citations.all():
                code = cit.sheet.criterion.code
                new = carried.get(old.pk)
                if new is None:
                    continue  # already listed above
                if code not in sheets:
                    result.not_carried.append(
                        _("Trích dẫn %(ev)s ở tiêu chí %(crit)s: tiêu chí không còn.")
                        % {"ev": old_style.show(old.code), "crit": code}
                    )
                    continue
                rows.append(
                    EvidenceCitation(
                        evidence=new, sheet=sheets[code], position=cit.position, created_by=user
                    )
                )
        EvidenceCitation.objects.bulk_create(rows)
        audit.bulk_history(rows, user=user)  # audit (core.audit): bulk write
        result.citations = len(rows)
    _record(
        user,
        target,
        log,
        note=_("Sao chép từ đợt %(year)s") % {"year": source.school_year},
    )
    return result


# The import (evidence.importing, on the core.imports pipeline) writes through these.
require_manage = _require_manage
insert_with_code = _insert_with_code
record_changes = _record
