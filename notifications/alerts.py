"""When a scheduled alert is due, in pure Python (tests call these directly).

Recognition expiry (regulation.md §2: a certificate lasts 5 years; the school registers for the
next external evaluation at least 5 months before it ends): alerts at 12 and 6 months before
the end, and at 5 months — the registration deadline itself. Only the most urgent threshold
reached is told (a decision recorded late, 5½ months before its end, gives one alert, not
three); each threshold once (the notification's key)."""

from __future__ import annotations

import datetime as dt

from recognition import rules

# Months before the end; the certificate's own registration lead time (the framework data's
# renewal_months_before_expiry: 5 under the 2018 circulars) is added per decision.
EXPIRY_THRESHOLDS = (12, 6)
LONGEST = max(EXPIRY_THRESHOLDS)


def thresholds(renewal_months: int | None) -> tuple[int, ...]:
    return tuple(sorted({*EXPIRY_THRESHOLDS, *([renewal_months] if renewal_months else [])}))


def expiry_threshold(
    until: dt.date | None, on: dt.date, renewal_months: int | None = 5
) -> int | None:
    """The most urgent threshold (months before `until`) reached on `on`; None before the
    first one and after the end. `renewal_months`: the registration deadline's lead time
    (None where the circular sets none: no deadline alert)."""
    if until is None or on > until:
        return None
    reached = [t for t in thresholds(renewal_months) if on >= rules.add_months(until, -t)]
    return min(reached) if reached else None


def expiry_key(decision_id: int, months: int) -> str:
    return f"expiry:{decision_id}:{months}"


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def monthly_due_today(on: dt.date, due_from_day: int) -> bool:
    """The current month's report is reminded from `due_from_day` to the month's end."""
    return on.day >= due_from_day
