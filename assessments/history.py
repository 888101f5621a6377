"""The assessment's ChangeLog as people read it: every `field` key the services write
("status", "current_state.2", "standard:5.direction", "van_ban.conditions",
"evidence:H1-1.1-01.issued_on", "indicator:1.1.a", …) turned into a Vietnamese label, and
values that are codes, ISO dates, booleans or JSON into readable text.

The ChangeLog stays (the workflow's reasons, the per-sheet and per-standard histories, the
Mức 4 log and the evidence register's entries read it by these keys); simple-history
(core.audit) records the rows of the same writes underneath."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.utils.translation import gettext as _

from core import audit

from .levels import requirement_refs
from .models import ChangeLog, CriterionSheet, StandardReview, Status

# The prose of the self-assessment documents (its app labels its keys through core.audit).
PROSE_MODEL = "assessments.AssessmentProse"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass
class ReadableChange:
    at: dt.datetime
    user: Any
    label: str
    old: str
    new: str
    note: str


def _verbose(model, name: str) -> str:
    try:
        label = str(model._meta.get_field(name).verbose_name)
    except Exception:  # a key that is no field of the model
        return audit.json_key_label("", "", name)
    return label[:1].upper() + label[1:]


def _evidence_field(name: str) -> str:
    from django.apps import apps

    if name == "file":
        return _("Tệp")
    return _verbose(apps.get_model("evidence", "Evidence"), name)


def _indicator_label(ident: str) -> str:
    """ "1.1-M1a" → "Tiêu chí 1.1, chỉ báo a) của Mức 1" (never the internal id)."""
    refs = requirement_refs([ident])
    criterion = ident.split("-M", 1)[0] if "-M" in ident and ident[:1].isdigit() else ""
    if criterion:
        return _("Tiêu chí %(code)s, %(which)s") % {"code": criterion, "which": refs}
    return refs[:1].upper() + refs[1:]


def field_label(key: str, assessment=None) -> str:
    """ "standard:5.direction" → "Tiêu chuẩn 5 — Hướng cải tiến"."""
    head, _sep, rest = key.partition(":")
    if key == "status":
        return _("Trạng thái")
    if key == "copy":
        return _("Sao chép từ đợt trước")
    if key == "actions":
        return _("Kế hoạch cải tiến")
    if key in ("council",):
        return _("Hội đồng tự đánh giá")
    if key in ("group",):
        return _("Nhóm công tác")
    if key == "plan":
        return _("Kế hoạch tự đánh giá")
    if key == "citation":
        return _("Trích dẫn minh chứng")
    if key.startswith("current_state."):
        return _("Hiện trạng — Mức %(n)s") % {"n": key.split(".", 1)[1]}
    if key.startswith("van_ban_yeu_cau."):
        return _("Văn bản yêu cầu — %(which)s") % {"which": _indicator_label(key.split(".", 1)[1])}
    if key.startswith("van_ban."):
        section = key.split(".", 1)[1]
        owner = SimpleNamespace(assessment=assessment)
        return _("Văn bản tự đánh giá — %(part)s") % {
            "part": audit.json_key_label(PROSE_MODEL, "texts", section, owner)
        }
    if rest:
        if head == "standard":
            code, _dot, name = rest.partition(".")
            if not name:
                return _("Tiêu chuẩn %(code)s") % {"code": code}
            return _("Tiêu chuẩn %(code)s — %(field)s") % {
                "code": code,
                "field": _verbose(StandardReview, name),
            }
        if head == "evidence":
            code, _dot, name = rest.partition(".")
            if not name:
                return _("Minh chứng %(code)s") % {"code": code}
            return _("Minh chứng %(code)s — %(field)s") % {
                "code": code,
                "field": _evidence_field(name),
            }
        if head == "indicator":
            return _indicator_label(rest)
        if head == "group":
            return _("Nhóm %(name)s") % {"name": rest}
        if head == "plan":
            return _("Kế hoạch tự đánh giá — %(activity)s") % {"activity": rest}
    if key in {f.name for f in CriterionSheet._meta.get_fields() if hasattr(f, "verbose_name")}:
        return _verbose(CriterionSheet, key)
    return audit.json_key_label("", "", key)


def value_text(key: str, value: str, assessment=None) -> str:
    """A logged value for reading: status codes by name, ISO dates dd/mm/yyyy, True/False
    Có/Không, JSON as label: value lines."""
    if value in ("", None):
        return ""
    if key == "status":
        return str(dict(Status.choices).get(value, value))
    if value in ("True", "False"):
        return _("Có") if value == "True" else _("Không")
    match = _ISO_DATE.match(value)
    if match:
        return f"{match[3]}/{match[2]}/{match[1]}"
    if value[:1] in "{[":
        field_name = "texts" if key.startswith("van_ban.") else ""
        owner = SimpleNamespace(assessment=assessment)
        label = PROSE_MODEL if field_name else ""
        return audit.json_text(value, label=label, field_name=field_name, obj=owner)
    return value


def readable(changes, assessment=None) -> list[ReadableChange]:
    out = []
    for c in changes:
        c: ChangeLog
        owner = assessment or c.assessment
        out.append(
            ReadableChange(
                at=c.at,
                user=c.user,
                label=field_label(c.field, owner),
                old=value_text(c.field, c.old, owner),
                new=value_text(c.field, c.new, owner),
                note=c.note,
            )
        )
    return out
