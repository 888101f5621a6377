"""Reads of the accounts app: the login lockouts (django-axes' AccessAttempt rows) an
administrator may lift; the accounts a unit's manager sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership
from accounts.permissions import GRANTABLE_ROLES, has_perm, scope_for
from core.text import fold


@dataclass(frozen=True)
class Lockout:
    pk: int
    username: str
    ip_address: str
    failures: int
    last_attempt: datetime
    until: datetime


def active_lockouts(user) -> list[Lockout]:
    """Accounts refused right now (failures at the limit, cool-off not over), newest first."""
    if not has_perm(user, "account.unlock"):
        raise PermissionDenied
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gt=since
    ).order_by("-attempt_time")
    return [
        Lockout(
            pk=a.pk,
            username=a.username or "",
            ip_address=a.ip_address or "",
            failures=a.failures_since_start,
            last_attempt=a.attempt_time,
            until=a.attempt_time + settings.AXES_COOLOFF_TIME,
        )
        for a in attempts
    ]


# ---------------------------------------------------------------------------------------------
# Accounts a manager sees (issue 14 §1)


def _managed_places(user) -> tuple[list[str], set[int]] | None:
    """Unit paths (administrator seats) and school ids (principal seats) under which `user`
    manages accounts; None = everywhere (support)."""
    scope = scope_for(user)
    if scope.is_all:
        return None
    paths = [
        s.unit_path for s in scope.seats if s.unit_id and s.admin and s.role in GRANTABLE_ROLES
    ]
    schools = {s.school_id for s in scope.seats if s.school_id and s.role in GRANTABLE_ROLES}
    return paths, schools


def _seat_filter(paths: list[str], schools: set[int], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}unit__path__startswith": path})
        q |= Q(**{f"{prefix}school__unit__path__startswith": path})
    if schools:
        q |= Q(**{f"{prefix}school_id__in": schools})
    return q


def accounts_visible(user) -> QuerySet:
    """People holding a seat where `user` manages accounts (others' accounts: not oneself,
    not support accounts). Outside this set an account does not exist for `user` (404)."""
    User = get_user_model()
    if not has_perm(user, "account.manage"):
        return User.objects.none()
    places = _managed_places(user)
    people = User.objects.exclude(pk=user.pk)
    if places is None:
        return people
    people = people.filter(is_superuser=False)
    ids = Membership.objects.filter(_seat_filter(*places)).values("user_id")
    return people.filter(pk__in=ids)


def seats_visible(user) -> QuerySet:
    """The seats a manager sees on a person's page: those in the manager's places (a person's
    seats elsewhere are not shown, only counted)."""
    places = _managed_places(user)
    seats = Membership.objects.select_related("unit", "school", "school__unit")
    return seats if places is None else seats.filter(_seat_filter(*places))


@dataclass(frozen=True)
class AccountFilters:
    q: str = ""
    unit: str = ""  # uid of a unit: seats in it and below
    school: str = ""  # code of a school
    role: str = ""
    active: str = ""  # "1", "0" or "" (both)


def account_list(user, filters: AccountFilters) -> QuerySet:
    people = accounts_visible(user)
    if filters.q:
        words = fold(filters.q).split()
        for word in words:
            people = people.filter(
                Q(profile__search_text__contains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            )
    if filters.unit:
        unit = scope_for(user).units().filter(uid=filters.unit).first()
        path = unit.path if unit is not None else "-"
        people = people.filter(
            Q(memberships__unit__path__startswith=path)
            | Q(memberships__school__unit__path__startswith=path)
        )
    if filters.school:
        people = people.filter(memberships__school__code=filters.school)
    if filters.role:
        people = people.filter(memberships__role=filters.role)
    if filters.active in ("0", "1"):
        people = people.filter(is_active=filters.active == "1")
    return (
        people.distinct()
        .select_related("profile")
        .prefetch_related("memberships__unit", "memberships__school")
        .order_by("profile__sort_key", "username")
    )


def account_get_or_404(user, pk: int):
    person = accounts_visible(user).select_related("profile").filter(pk=pk).first()
    if person is None:
        raise Http404("Không tìm thấy tài khoản trong phạm vi của bạn.")
    return person
