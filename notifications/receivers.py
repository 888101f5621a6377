"""The domains' signals, turned into notifications. One line subscribes a signal to a kind:

    subscribe(evaluation_signals.registration_submitted, kinds.REGISTRATION_RECEIVED)

The signal is sent with these words (all optional but `school`, unless the kind's audience is
GIVEN): `school` (a School), `actor` (the user who acted: never told of their own action),
`link` (the page to open), `reason` (why it was returned), `title` (what it is about, e.g. an
improvement action), `body` (more words), `recipients` (users; the audience for GIVEN kinds, an
addition for the others), `key` (an event told once per person). The audience of the kind
(kinds.py) is resolved from the permission table (notifications.recipients).

A receiver never breaks the action that sent the signal: it works in a savepoint and logs its
own failure (the action's transaction goes on)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.urls import reverse

from assessments import signals as assessment_signals
from core.text import format_date_short
from evaluation import signals as evaluation_signals
from programme import signals as programme_signals

from . import kinds
from .recipients import audience_of
from .services import notify

logger = logging.getLogger(__name__)


def _name(user) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or getattr(user, "username", "")


def body_for(words: dict[str, Any]) -> str:
    lines = []
    if words.get("body"):
        lines.append(str(words["body"]))
    if words.get("reason"):
        lines.append(f"Lý do: {words['reason']}")
    if words.get("actor") is not None:
        lines.append(f"Người thực hiện: {_name(words['actor'])}")
    return "\n".join(lines)


def tell(kind: str, words: dict[str, Any], audience: str | None = None) -> list:
    audience = audience or kinds.KINDS[kind].audience
    school = words.get("school")
    people = list(words.get("recipients") or [])
    if audience != kinds.GIVEN and school is not None:
        people += audience_of(audience, school)
    title = kinds.title_for(
        kind,
        school=getattr(school, "name", ""),
        actor=_name(words.get("actor")),
        reason=words.get("reason", ""),
        title=words.get("title", ""),
        month=words.get("month_text", ""),
    )
    return notify(
        kind=kind,
        recipients=people,
        title=title,
        body=body_for(words),
        link=str(words.get("link") or ""),
        key=str(words.get("key") or ""),
        exclude=words.get("actor"),
    )


def _safely(kind: str, words: dict[str, Any], audience: str | None) -> None:
    try:
        with transaction.atomic():
            tell(kind, words, audience)
    except Exception:  # noqa: BLE001 — a notification must never undo the action
        logger.exception("notification %s failed", kind)


def subscribe(signal, kind: str, *, audience: str | None = None) -> None:
    """Turn every `signal` into notifications of `kind` (see the module's docstring)."""
    if kind not in kinds.KINDS:
        raise KeyError(f"Unknown notification kind {kind!r}; add it to notifications.kinds")

    def receiver(sender, **words: Any) -> None:
        _safely(kind, words, audience)

    signal.connect(receiver, weak=False, dispatch_uid=f"notifications.{kind}.{id(signal)}")


def _reminder(sender, **words: Any) -> None:
    month = words.get("month")
    words = {
        **words,
        "month_text": f"{month:%m/%Y}" if month else "",
        "body": getattr(words.get("reminder"), "message", ""),
        "key": f"reminder:{words['reminder'].pk}" if words.get("reminder") else "",
    }
    _safely(kinds.MONTHLY_DUE, words, None)


def connect_all() -> None:
    """Called once from NotificationsConfig.ready(). A new domain adds its lines here."""
    subscribe(assessment_signals.assessment_submitted, kinds.ASSESSMENT_SUBMITTED)
    subscribe(assessment_signals.assessment_returned, kinds.ASSESSMENT_RETURNED)
    subscribe(assessment_signals.assessment_accepted, kinds.ASSESSMENT_ACCEPTED)
    programme_signals.reminder_sent.connect(
        _reminder, weak=False, dispatch_uid="notifications.reminder_sent"
    )
    # External evaluation: its signals name the registration or evaluation; the words the
    # notifications need (school, actor, link, key) are read from them.
    for signal, kind in (
        (evaluation_signals.registration_submitted, kinds.REGISTRATION_RECEIVED),
        (evaluation_signals.registration_returned, kinds.REGISTRATION_RETURNED),
        (evaluation_signals.registration_accepted, kinds.REGISTRATION_ACCEPTED),
        (evaluation_signals.team_member_added, kinds.TEAM_MEMBERSHIP),
        (evaluation_signals.report_sent_for_feedback, kinds.REPORT_FEEDBACK),
        (evaluation_signals.decision_recorded, kinds.DECISION_RECORDED),
    ):
        signal.connect(_evaluation(kind), weak=False, dispatch_uid=f"notifications.{kind}")


def evaluation_words(kind: str, words: dict[str, Any]) -> dict[str, Any]:
    """The words of an external evaluation's signal, as tell() reads them."""
    registration = words.get("registration")
    evaluation = words.get("evaluation")
    subject = evaluation or registration
    out: dict[str, Any] = {
        "school": subject.school,
        "actor": words.get("user"),
        "reason": words.get("reason", ""),
    }
    if evaluation is not None:
        out["link"] = reverse("evaluation:detail", args=[evaluation.pk])
    else:
        out["link"] = reverse("evaluation:registration", args=[registration.pk])
    if kind == kinds.TEAM_MEMBERSHIP:
        member = words["member"]
        out["recipients"] = [member.user] if member.user_id else []
        out["key"] = f"team:{member.pk}"
    elif kind == kinds.REPORT_FEEDBACK and words.get("deadline"):
        out["body"] = f"Hạn góp ý của nhà trường: {format_date_short(words['deadline'])}."
    elif kind == kinds.DECISION_RECORDED:
        decision = words.get("decision")
        out["body"] = (
            f"Quyết định số {decision.number} ngày {format_date_short(decision.signed_on)}."
            if decision is not None
            else "Đoàn không đề nghị công nhận (quyết định không công nhận đã được ghi)."
        )
    return out


def _evaluation(kind: str):
    def receiver(sender, **words: Any) -> None:
        try:
            told = evaluation_words(kind, words)
        except Exception:  # noqa: BLE001 — a notification must never undo the action
            logger.exception("notification %s: unreadable signal", kind)
            return
        _safely(kind, told, None)

    return receiver
