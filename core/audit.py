"""The audit trail, in one home.

1. **Which models are audited**: every domain model of the project apps keeps its history with
   django-simple-history (a `Historical<Model>` table per model, written on every `save()` and
   `delete()`, and by the bulk writers through `bulk_create_with_history` /
   `bulk_update_with_history`). `AUDITED` lists them, `NOT_AUDITED` lists the others with the
   reason; `core/tests/test_audit.py` fails when a project model is in neither.
2. **Who**: `simple_history.middleware.HistoryRequestMiddleware` gives the request's user to
   every write; services that write outside a request pass `_history_user` or `default_user`.
   A reason asked from the user (returning, reopening, deleting) goes to
   `history_change_reason` (`instance._change_reason`).
3. **Events that are not a model write**: logins, logouts, failed logins, login lockouts
   (django-axes) and file downloads
   are `AuditEvent` rows (`core.models`), written by `event_record` and the auth signals below.
4. **Reading it**: `history_rows(obj, related=...)` turns the historical rows into what a page
   shows (`templates/core/_history.html`): Vietnamese field labels (`verbose_name`) and readable
   values, never internal keys or JSON. A JSON field's keys are labelled by the owning app
   (`json_labels`), since only that app knows what its keys mean.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from axes.signals import user_locked_out
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connections, models, router
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history import register
from simple_history.models import HistoricalRecords

from core import page_cache, text
from core.models import AuditEvent

# --- 1. what is audited ------------------------------------------------------------------------

# Derived keys recomputed from other fields on every save: never typed, never shown.
_DERIVED = ["search_text", "sort_key"]

# label → options for simple-history (`excluded_fields`: columns not copied to the history).
AUDITED: dict[str, dict[str, Any]] = {
    # the registry
    "schools.School": {"excluded_fields": _DERIVED},
    "schools.SchoolSite": {},
    "schools.SchoolLocation": {},
    "schools.SchoolYearData": {},
    # people and rights (the user model's history lives in the accounts app)
    "accounts.Membership": {},
    "accounts.Profile": {"excluded_fields": _DERIVED},
    "auth.User": {"excluded_fields": ["password", "last_login"], "app": "accounts"},
    # recognition register, plans, investment, monthly reports
    "recognition.RecognitionDecision": {},
    "programme.ProgrammePlan": {},
    "programme.PlanSchoolTarget": {},
    "programme.PlanUnitTarget": {},
    "programme.PlanActivity": {},
    "programme.InvestmentProject": {},
    "programme.MonthlyReport": {},
    "programme.Reminder": {},
    # self-assessment
    "assessments.Assessment": {},
    "assessments.WorkingGroup": {},
    "assessments.CouncilMember": {},
    "assessments.PlanMilestone": {},
    "assessments.CriterionSheet": {},
    "assessments.IndicatorResult": {},
    "assessments.ImprovementAction": {},
    "assessments.StandardReview": {},
    # evidence register
    "evidence.Evidence": {"excluded_fields": _DERIVED},
    "evidence.EvidenceCitation": {},
    # external evaluation
    "evaluation.Registration": {},
    "evaluation.Evaluation": {},
    "evaluation.TeamMember": {},
    "evaluation.MemberJudgment": {},
    "evaluation.TeamJudgment": {},
    "evaluation.CriterionReview": {},
    "evaluation.Visit": {},
    "evaluation.SchoolFeedback": {},
    # publication (công khai)
    "publication.Publication": {},
    # editable prose of documents
    "assessments.AssessmentProse": {},
    "assessments.RequirementText": {},
    "programme.ReportDraft": {},
    # improvement actions registered from the blockers, their notes and reviews
    "improvement.ImprovementAction": {},
    "improvement.ProgressNote": {},
    "improvement.ImprovementReview": {},
    # API access: who created and revoked which token, which system account (the secret's
    # hash and the last-use time are not history)
    "api.ApiToken": {"excluded_fields": ["key_hash", "last_used_at"]},
    "api.SystemAccount": {},
    # what each person chose to be told, and how
    "notifications.NotificationPreference": {},
}

# label → why its writes are not copied into a history table.
NOT_AUDITED: dict[str, str] = {
    "units.AdminUnit": "bản đồ hành chính nạp bằng lệnh load_units từ dữ liệu công bố (không ai "
    "sửa trên giao diện); nạp lại là nguồn sự thật",
    "frameworks.Framework": "dữ liệu thông tư nạp bằng load_frameworks từ frameworks/data "
    "(lịch sử nằm trong git); data_hash cho biết bản đã nạp",
    "frameworks.FrameworkVersion": "như Framework: dữ liệu tham chiếu nạp bằng lệnh",
    "frameworks.Standard": "như Framework: dữ liệu tham chiếu nạp bằng lệnh",
    "frameworks.Criterion": "như Framework: dữ liệu tham chiếu nạp bằng lệnh",
    "frameworks.Indicator": "như Framework: dữ liệu tham chiếu nạp bằng lệnh",
    "assessments.Snapshot": "bất biến (save() từ chối sửa, sha256 kiểm tra); chính nó là bản lưu",
    "assessments.ChangeLog": "là nhật ký của đợt tự đánh giá (chỉ thêm, không sửa)",
    "core.DataVersion": "một bộ đếm kỹ thuật (trang lưu sẵn còn đúng hay không), không phải dữ "
    "liệu nghiệp vụ",
    "documents.GeneratedDocument": "việc tạo tệp chạy nền: trạng thái, tiến độ, tệp kết quả; "
    "không phải dữ liệu nghiệp vụ",
    "core.AuditEvent": "chính là nhật ký sự kiện (chỉ thêm, không sửa)",
    "recognition.StatusTally": "số đếm suy ra từ sổ quyết định và danh sách trường cho bảng "
    "điều khiển (recognition.tally); đếm lại bất cứ lúc nào",
    "recognition.TallyState": "trạng thái của số đếm suy ra (ngày đếm, dấu mốc dữ liệu)",
    "notifications.Notification": "thông báo gửi cho một người (chỉ thêm; chỉ đổi thời điểm "
    "đã đọc, đã gửi thư); chính việc gây ra nó đã có lịch sử",
    "notifications.OutboxMail": "bản lưu thư đã gửi của bản trình diễn (chỉ thêm)",
    "core.ProcessHeartbeat": "tín hiệu sống của tiến trình nền, ghi đè vài giây một lần; "
    "không phải dữ liệu nghiệp vụ",
}


def project_apps() -> set[str]:
    """Apps whose models this module must classify: those whose package sits at the project's
    root (Django's and third-party apps are not ours, except the user model, listed above).
    Derived from the installed apps, so a new app is classified without editing a list here."""
    root = Path(settings.BASE_DIR)
    return {c.label for c in apps.get_app_configs() if Path(c.path).parent == root}


# A row's own "who" columns, read when no request tells the acting user.
_AUTHOR_FIELDS = ("updated_by", "submitted_by", "sent_by", "uploaded_by", "created_by")


class AuditRecords(HistoricalRecords):
    """simple-history's records, minus rows for saves that touched only columns the history
    does not keep (Django's `update_last_login` saves `last_login` alone at every login: the
    login is an AuditEvent, not a change of the account)."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields and not created and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def get_history_user(self, instance):
        # The request's user (middleware) or `_history_user`; outside a request (commands,
        # tasks, services called directly) the row's own author field when it has one.
        user = super().get_history_user(instance)
        if user is None:
            for name in _AUTHOR_FIELDS:
                user_id = getattr(instance, f"{name}_id", None)
                if user_id is not None:
                    return get_user_model()._default_manager.filter(pk=user_id).first()
        return user

    def create_historical_record(self, instance, history_type, using=None):
        # A service may save `version = F("version") + 1`: the history keeps the stored number.
        pending = [
            f.attname
            for f in self.fields_included(instance)
            if hasattr(getattr(instance, f.attname, None), "resolve_expression")
        ]
        if pending and history_type != "-":
            instance.refresh_from_db(fields=pending)
        super().create_historical_record(instance, history_type, using=using)


def register_models() -> None:
    """Called once from CoreConfig.ready(): creates the Historical<Model> classes."""
    for label, options in AUDITED.items():
        model = apps.get_model(label)
        if hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        options = dict(options)
        app = options.pop("app", None)
        register(
            model,
            app=app,
            records_class=AuditRecords,
            user_related_name="+",
            **options,
        )


def audited_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in AUDITED]


def record_update(instance: models.Model, *, user=None, reason: str = "") -> None:
    """A history row for an instance changed by `QuerySet.update()` (optimistic locking and
    cache refreshes write that way): reload it and record its state as a change."""
    instance.refresh_from_db()
    records = instance.history.model
    records.objects.create(
        history_date=timezone.now(),
        history_type="~",
        history_user=user if getattr(user, "pk", None) else _request_user(),
        history_change_reason=reason or None,
        **{f.attname: getattr(instance, f.attname) for f in records.tracked_fields},
    )


def _request_user():
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


# --- 3. events that are not a model write ----------------------------------------------------


def client_ip(request) -> str:
    """The client's address for the audit trail and the login protection: REMOTE_ADDR, or,
    behind a reverse proxy (BEHIND_PROXY) and only for a request that comes from one of
    TRUSTED_PROXIES, the X-Real-IP the proxy sets (deploy/nginx overwrites it, so a client
    cannot choose it; X-Forwarded-For is not read, clients can prepend to it)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR") or ""
    if settings.BEHIND_PROXY and remote in settings.TRUSTED_PROXIES:
        remote = request.META.get("HTTP_X_REAL_IP", "").strip() or remote
    return remote[:45]


def event_record(*, kind: str, request=None, user=None, username: str = "", obj=None) -> None:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if not getattr(user, "pk", None):
        user = None
    AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip=client_ip(request) or None,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:300] if obj is not None else "",
    )


@receiver(user_logged_in, dispatch_uid="audit_login")
def _on_login(sender, request, user, **kwargs):
    event_record(kind=AuditEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender, request, user, **kwargs):
    event_record(kind=AuditEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")
    event_record(kind=AuditEvent.Kind.LOGIN_FAILED, request=request, user=None, username=username)


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _on_lockout(sender, request, username=None, ip_address=None, **kwargs):
    # Sent by django-axes on the failure that reaches the limit and on each attempt refused
    # while the lock lasts (each of those is also a failed login: Django reports it as one).
    event_record(kind=AuditEvent.Kind.LOCKOUT, request=request, user=None, username=username or "")


# --- 4. reading it -------------------------------------------------------------------------

# (model label, JSON field) → function(obj_or_record, key) → label of that key, or None.
JsonLabeller = Callable[[Any, str], "str | None"]
_JSON_LABELS: dict[tuple[str, str], JsonLabeller] = {}


def json_labels(label: str, field_name: str, labeller: JsonLabeller) -> None:
    """An app tells how the keys of one of its JSON fields read (from its AppConfig.ready())."""
    _JSON_LABELS[(label, field_name)] = labeller


def json_key_label(label: str, field_name: str, key: str, obj: Any = None) -> str:
    labeller = _JSON_LABELS.get((label, field_name))
    found = labeller(obj, key) if labeller else None
    return found or _humanize(key)


def _humanize(key: str) -> str:
    # Last resort for a key no app labelled: words, not an identifier.
    words = str(key).replace("_", " ").replace(".", " ").strip()
    return words[:1].upper() + words[1:]


def value_text(value: Any) -> str:
    """A plain value the Vietnamese way: Có/Không, dd/mm/yyyy, 1.234,5, "—" for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        places = max(0, -value.normalize().as_tuple().exponent)
        return text.format_decimal(value, min(places, 3))
    if isinstance(value, float):
        return text.format_decimal(Decimal(str(value)), 2)
    return str(value)


def json_text(value: Any, *, label: str = "", field_name: str = "", obj: Any = None) -> str:
    """JSON as "Nhãn: giá trị" lines (nested lists as numbered rows), never braces."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value or "—"
        if not isinstance(parsed, dict | list):
            return value
        value = parsed
    if isinstance(value, dict):
        if not value:
            return "—"
        lines = []
        for key, item in value.items():
            name = json_key_label(label, field_name, str(key), obj)
            lines.append(f"{name}: {_json_item(item, label, field_name, obj)}")
        return "\n".join(lines)
    if isinstance(value, list):
        if not value:
            return "—"
        return "\n".join(
            f"{n}. {_json_item(item, label, field_name, obj)}" for n, item in enumerate(value, 1)
        )
    return value_text(value)


def _json_item(item: Any, label: str, field_name: str, obj: Any) -> str:
    if isinstance(item, dict):
        return (
            "; ".join(
                f"{json_key_label(label, field_name, str(k), obj)}: {_json_item(v, label, field_name, obj)}"
                for k, v in item.items()
                if v not in ("", None)
            )
            or "—"
        )
    if isinstance(item, list):
        return "; ".join(_json_item(v, label, field_name, obj) for v in item) or "—"
    return value_text(item)


def is_shown(model_field: models.Field) -> bool:
    """A field the model labels for users (explicit verbose_name). Internal columns (version
    counters, timestamps, content hashes, derived keys) carry none and stay off the page."""
    if not model_field.concrete or model_field.primary_key:
        return False
    return str(model_field.verbose_name) != model_field.name.replace("_", " ")


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    at: dt.datetime
    user: str
    action: str
    subject: str  # what changed: the object itself, or "Chỉ tiêu của trường: …" for a part
    reason: str
    changes: list[Change] = field(default_factory=list)


_ACTIONS = {
    "+": gettext_lazy("Tạo mới"),
    "~": gettext_lazy("Sửa"),
    "-": gettext_lazy("Xóa"),
}


class _Resolver:
    """str() of related objects named by id in historical rows, one query per model."""

    def __init__(self) -> None:
        self.cache: dict[tuple[type, Any], str] = {}

    def text(self, model_field: models.ForeignKey, pk: Any) -> str:
        if pk is None:
            return "—"
        model = model_field.related_model
        key = (model, pk)
        if key not in self.cache:
            obj = model._default_manager.filter(pk=pk).first()
            self.cache[key] = str(obj) if obj is not None else _("(đã xóa)")
        return self.cache[key]

    def user(self, user_id: Any) -> str:
        if user_id is None:
            return "—"
        # Its own key: a user named by a foreign key of the row (created_by) is cached by
        # related() as str(user), the login name, and the actor column shows the person's name.
        key = ("actor", user_id)
        if key not in self.cache:
            user = get_user_model()._default_manager.filter(pk=user_id).first()
            self.cache[key] = (
                (user.get_full_name() or user.get_username()) if user else _("(đã xóa)")
            )
        return self.cache[key]


def _field_text(model_field: models.Field, value: Any, obj: Any, resolver: _Resolver) -> str:
    if isinstance(model_field, models.ForeignKey):
        return resolver.text(model_field, value)
    if model_field.choices and value not in (None, ""):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.JSONField):
        return json_text(
            value, label=model_field.model._meta.label, field_name=model_field.name, obj=obj
        )
    if isinstance(model_field, models.FileField):
        return _("có tệp") if value else "—"
    return value_text(value)


def _rows_of(
    model: type[models.Model], records: list, resolver: _Resolver, *, part: bool
) -> list[HistoryRow]:
    """Rows of one model's records (all records of each object, oldest first)."""
    fields = [f for f in model._meta.concrete_fields if is_shown(f)]
    tracked = {f.attname for f in model.history.model.tracked_fields}
    fields = [f for f in fields if f.attname in tracked]
    previous: dict[Any, Any] = {}
    out: list[HistoryRow] = []
    for record in records:
        pk = getattr(record, model._meta.pk.attname)
        before = previous.get(pk)
        changes: list[Change] = []
        for f in fields:
            new = getattr(record, f.attname)
            old = getattr(before, f.attname) if before is not None else None
            if record.history_type == "-":
                continue
            if before is None:
                if new in (None, "", {}, []) or (isinstance(new, bool) and not new):
                    continue
            elif old == new:
                continue
            changes.append(
                Change(
                    label=_capital(str(f.verbose_name)),
                    old="" if before is None else _field_text(f, old, before, resolver),
                    new=_field_text(f, new, record, resolver),
                )
            )
        previous[pk] = record
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue  # a save that changed nothing a user can see
        subject = ""
        if part:
            subject = f"{_capital(str(model._meta.verbose_name))}: {_record_str(record)}"
        out.append(
            HistoryRow(
                at=record.history_date,
                user=resolver.user(record.history_user_id),
                action=str(_ACTIONS.get(record.history_type, record.history_type)),
                subject=subject,
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return out


def _record_str(record) -> str:
    try:
        return str(record.instance)
    except Exception:  # a related row of the old state may be gone: the id is all we have
        return f"#{record.pk}"


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def history_rows(
    obj: models.Model | None,
    *,
    related: Iterable[tuple[type[models.Model], dict[str, Any]]] = (),
    limit: int = 200,
) -> list[HistoryRow]:
    """The object's history, newest first, with its parts' (`related`: (model, filter of its
    history)) merged in, e.g. a plan with its targets; `obj` None gives the parts only (the
    decisions of a school's register). The caller has already checked that the user may see
    what it asks for (the view's own scoping)."""
    resolver = _Resolver()
    rows: list[HistoryRow] = []
    if obj is not None:
        model = type(obj)
        records = list(
            model.history.filter(**{model._meta.pk.attname: obj.pk}).order_by(
                "history_date", "history_id"
            )
        )
        rows = _rows_of(model, records, resolver, part=False)
    for part_model, where in related:
        part_records = list(
            part_model.history.filter(**where).order_by("history_date", "history_id")
        )
        rows += _rows_of(part_model, part_records, resolver, part=obj is not None)
    rows.sort(key=lambda r: r.at, reverse=True)
    return rows[:limit]


def bulk_history(
    objs: list[models.Model], *, user=None, reason: str = "", update: bool = False
) -> None:
    """History rows for objects written by bulk_create / bulk_update (which bypass save() and
    its signals), in the caller's transaction; the objects must carry their primary keys
    (bulk_create sets them on SQLite and PostgreSQL).

    The rows are those of simple-history's `bulk_history_create` (same table, same columns),
    written with one `executemany` (one COPY on PostgreSQL) instead of model instances +
    `bulk_create`: on SQLite Django splits a bulk_create into statements of 999 parameters
    (~35 rows of a school), which made the 45,000-school import half as slow again; one
    prepared statement keeps the audit within a quarter of the import (bench/bench_import.py
    prints the share, measured against the same import without audit)."""
    if not objs:
        return
    history = type(objs[0]).history.model
    connection = connections[router.db_for_write(history)]
    columns = [history._meta.get_field(f.attname) for f in history.tracked_fields]
    prepare = [None if isinstance(col, _PLAIN_FIELDS) else col.get_db_prep_save for col in columns]
    acting = user if getattr(user, "pk", None) else _request_user()
    tail = [
        history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection),
        str(reason) if reason else None,
        "~" if update else "+",
        acting.pk if acting is not None else None,
    ]
    names = [col.column for col in columns] + [
        "history_date",
        "history_change_reason",
        "history_type",
        "history_user_id",
    ]
    attnames = [col.attname for col in columns]
    rows = [
        [
            value if fn is None else fn(value, connection)
            for fn, value in zip(prepare, [getattr(obj, a) for a in attnames], strict=True)
        ]
        + tail
        for obj in objs
    ]
    quote = connection.ops.quote_name
    table = quote(history._meta.db_table)
    column_list = ", ".join(quote(n) for n in names)
    # COPY passes no execute wrapper: the kept pages are told here.
    page_cache.note_write(connection.alias)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one round trip; executemany sends one INSERT per row
            # and made the audit add 44% to the 45,000-school import on PostgreSQL.
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = "INSERT INTO {} ({}) VALUES ({})".format(
                table, column_list, ", ".join(["%s"] * len(names))
            )
            cursor.executemany(sql, rows)


# Columns whose Python value is already what the database driver takes (no conversion).
_PLAIN_FIELDS = (
    models.CharField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)
