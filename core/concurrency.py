"""Optimistic locking, one mechanism for every edit form and write endpoint.

An edited row carries a `version` (an integer bumped by every save through a form). The form
sends back the version it was read at (`version_field()`, a hidden input). The service claims
the row with one conditional UPDATE (`version_claim`: `UPDATE … SET version = version + 1 WHERE
pk = … AND version = <read>`), which is race-free on SQLite and PostgreSQL alike and keeps the
row locked on PostgreSQL until the transaction ends; no row updated means someone saved since
the form was opened, and `EditConflict` is raised before anything is written.

The view then keeps what the user typed, adds `STALE_MESSAGE`, answers 409, shows what the other
person saved (`conflict_for(...)`, rendered by `templates/core/_edit_conflict.html`) and hands the
form the current version, so that a second, deliberate save after review goes through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy, pgettext

CONFLICT_STATUS = 409

STALE_MESSAGE = gettext_lazy(
    "Chưa lưu: nội dung này đã được người khác sửa sau khi bạn mở trang. Nội dung bạn nhập vẫn "
    "còn bên dưới, bản đang lưu được ghi kèm; hãy xem lại rồi bấm Lưu lần nữa."
)


class EditConflict(Exception):
    """Someone saved the object after this user opened the form: nothing was written."""

    def __init__(self, message: str | None = None):
        super().__init__(str(message or STALE_MESSAGE))


class VersionedModel(models.Model):
    """The version field of an edited row (rows that already had one keep their own)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


NEVER = -1  # the version of a page that sent none: matches no stored row


def read_version(value: Any) -> int:
    """A version as sent by a page; anything missing or unreadable never matches."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return NEVER


class VersionField(forms.IntegerField):
    """The hidden input carrying the version the form was read at. Never a form error: a POST
    without it (or with garbage) cleans to NEVER and is refused as stale by the service.
    Create-or-replace forms (a month's report, a draft) pass `missing=0`: a page that sent no
    version saw no row, so it may create one but never replace one."""

    widget = forms.HiddenInput

    def __init__(self, *, missing: int = NEVER, **kwargs):
        kwargs.setdefault("required", False)
        self.missing = missing
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return self.missing
        return read_version(value)

    def validate(self, value):
        pass

    def run_validators(self, value):
        pass


def version_field(*, missing: int = NEVER) -> VersionField:
    return VersionField(missing=missing)


def version_claim(
    instance: models.Model,
    read: int | None,
    *,
    message: str | None = None,
    refresh: bool = True,
    field: str = "version",
):
    """Claim `instance` for writing if its stored version is still `read`: bump the version in
    one conditional UPDATE, then reload the instance (now current, and locked on PostgreSQL
    until the end of the transaction). Raise EditConflict otherwise. Call inside atomic().
    `refresh=False` keeps the caller's in-memory changes (only `version` is set): the claim
    proves nobody saved through a form since the version was read.

    `read=None` is a caller that read no version (a command, a script): the row is written
    whatever its version, and still bumped so that forms opened before are refused.

    `field` names another version column, for a row that keeps separate locks for separate
    parts of it (a criterion sheet: texts, indicator decisions, who is assigned)."""
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if read is not None:
        rows = rows.filter(**{field: read})
    if not rows.update(**{field: F(field) + 1}):
        raise EditConflict(message)
    if refresh:
        instance.refresh_from_db()
    else:
        setattr(
            instance,
            field,
            read + 1
            if read is not None
            else type(instance)._default_manager.values_list(field, flat=True).get(pk=instance.pk),
        )
    return instance


# ---------------------------------------------------------------------------------------------
# Showing the other person's change


@dataclass(frozen=True)
class FieldChange:
    label: str
    stored: str  # the value saved now (the other person's)
    typed: str  # what this user typed


@dataclass
class Conflict:
    """What a refused page shows next to the typed values."""

    message: str
    changes: list[FieldChange] = field(default_factory=list)
    saved_at: str = ""
    saved_by: str = ""


def display(value: Any) -> str:
    """A stored or typed value as a person reads it (dd/mm/yyyy, Có/Không, labels)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return pgettext("yes/no", "Có") if value else pgettext("yes/no", "Không")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


_UNKNOWN = object()


def _stored(instance: models.Model, name: str) -> Any:
    """The saved raw value (a foreign key as its id, as the form's choices key it)."""
    try:
        model_field = instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only value: shown only when the caller gives it
        return _UNKNOWN
    return getattr(instance, getattr(model_field, "attname", name))


def _label(form_field: forms.Field, value: Any) -> Any:
    """A choice's label for its key; other values as they are."""
    choices = getattr(form_field, "choices", None)
    if choices and value not in (None, ""):
        for key, label in choices:
            if str(getattr(key, "value", key)) == str(value):
                return label
    return value


def _typed(form: forms.BaseForm, name: str) -> Any:
    cleaned = getattr(form, "cleaned_data", {})
    value = cleaned[name] if name in cleaned else form[name].value()
    if isinstance(value, models.Model):
        value = value.pk
    if isinstance(form.fields[name], forms.BooleanField):
        return bool(value)
    if isinstance(value, list):
        return ", ".join(str(_label(form.fields[name], v)) for v in value)
    return _label(form.fields[name], value)


def conflict_for(
    form: forms.BaseForm,
    instance: models.Model,
    *,
    fields: Iterable[str] | None = None,
    message: str | None = None,
    stored: dict[str, Any] | None = None,
) -> Conflict:
    """Refuse `form` as stale: add the message, list the fields whose saved value (in the
    fresh `instance`, or `stored` overrides) differs from what was typed, and give the form
    the current version so that saving again after review is a deliberate overwrite."""
    message = str(message or STALE_MESSAGE)
    form.add_error(None, message)
    names = [
        n
        for n in (fields if fields is not None else form.fields)
        if n in form.fields
        and n != "version"
        and not form.fields[n].disabled
        and not isinstance(form.fields[n], forms.FileField)
    ]
    changes = []
    for name in names:
        raw = stored[name] if stored and name in stored else _stored(instance, name)
        if raw is _UNKNOWN:
            continue
        if isinstance(form.fields[name], forms.DateField) and isinstance(raw, dt.date):
            saved = display(raw)
        else:
            saved = display(_label(form.fields[name], raw))
        typed = display(_typed(form, name))
        if " ".join(saved.split()) != " ".join(typed.split()):
            changes.append(FieldChange(str(form.fields[name].label or name), saved, typed))
    if "version" in form.fields and hasattr(instance, "version"):
        data = form.data.copy()
        data[form.add_prefix("version")] = str(instance.version)
        form.data = data
    saved_at = getattr(instance, "updated_at", None)
    saved_by = getattr(instance, "updated_by", None)
    return Conflict(
        message=message,
        changes=changes,
        saved_at=display(saved_at) if saved_at else "",
        saved_by=str(getattr(saved_by, "username", "") or "") if saved_by else "",
    )
