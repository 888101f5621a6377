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

from assessments import signals as assessment_signals
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
    # External evaluation (evaluation.signals, wp-ee1), when that app is installed:
    #   subscribe(evaluation_signals.registration_submitted, kinds.REGISTRATION_RECEIVED)
    #   subscribe(evaluation_signals.registration_returned, kinds.REGISTRATION_RETURNED)
    #   subscribe(evaluation_signals.registration_accepted, kinds.REGISTRATION_ACCEPTED)
    #   subscribe(evaluation_signals.team_member_added, kinds.TEAM_MEMBERSHIP)
    #   subscribe(evaluation_signals.report_sent_for_feedback, kinds.REPORT_FEEDBACK)
    #   subscribe(evaluation_signals.decision_recorded, kinds.DECISION_RECORDED)
    # Improvement actions (wp-improve) send improvement_due / improvement_overdue likewise.
