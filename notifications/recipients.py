"""Who is told: resolved from the permission table (accounts.permissions), never from a list
of roles kept here. The candidates are the members of the school and of the units above it;
each is asked `has_perm` for the action that defines the audience:

* MANAGERS: `assessment.accept` — the officers of the unit that manages the school's kind
  (commune for MN/TH/THCS, Sở for THPT/GDTX, `MANAGING_LEVEL_BY_KIND`). The table lets the
  units above act too (the Sở may accept a primary school's report), but only the nearest
  holders are told: the Sở is not mailed for each of its 1,500 schools when the commune has
  officers; when it has none, the Sở hears of it;
* SCHOOL: `assessment.submit` — the school's principal.

A `Resolver` keeps the users it loaded for one run (a scheduled alert over 1,500 schools asks
about the same officers again and again; their scope is read once)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from accounts.models import Membership
from accounts.permissions import OFFICERS, Target, has_perm

from . import kinds

AUDIENCE_ACTIONS = {kinds.MANAGERS: "assessment.accept", kinds.SCHOOL: "assessment.submit"}


def unit_prefixes(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


class Resolver:
    def __init__(self) -> None:
        self._users: dict[int, object] = {}
        self._unit_members: dict[str, list[tuple[int, int]]] = {}
        self._school_members: dict[int, list[int]] | None = None

    def _load_users(self, ids: Iterable[int]) -> None:
        missing = [i for i in ids if i not in self._users]
        if missing:
            for user in get_user_model().objects.filter(pk__in=missing, is_active=True):
                self._users[user.pk] = user
            for i in missing:
                self._users.setdefault(i, None)

    def _officers_above(self, path: str) -> list[tuple[int, int]]:
        """(user id, depth of their unit) of the officers of the units containing `path`,
        nearest first."""
        if path not in self._unit_members:
            self._unit_members[path] = list(
                Membership.objects.filter(role__in=OFFICERS, unit__path__in=unit_prefixes(path))
                .order_by("-unit__depth", "user_id")
                .values_list("user_id", "unit__depth")
                .distinct()
            )
        return self._unit_members[path]

    def prefetch_schools(self, school_ids: Iterable[int]) -> None:
        """One query for the members of many schools (the scheduled alerts)."""
        self._school_members = {}
        for school_id, user_id in Membership.objects.filter(
            school_id__in=list(school_ids)
        ).values_list("school_id", "user_id"):
            self._school_members.setdefault(school_id, []).append(user_id)

    def _school_people(self, school) -> list[int]:
        if self._school_members is not None and school.pk in self._school_members:
            return self._school_members[school.pk]
        if self._school_members is not None:
            return []
        return list(Membership.objects.filter(school=school).values_list("user_id", flat=True))

    def audience(self, audience: str, school) -> list:
        """The active users of `audience` for `school` (a School with its unit loaded)."""
        action = AUDIENCE_ACTIONS[audience]
        target = Target(school=school, unit=school.unit)
        if audience == kinds.MANAGERS:
            rows = self._officers_above(school.unit.path)
            self._load_users(i for i, _ in rows)
            holders = [
                (depth, self._users[i])
                for i, depth in rows
                if self._users.get(i) is not None and has_perm(self._users[i], action, target)
            ]
            nearest = max((d for d, _ in holders), default=None)
            return list({u.pk: u for d, u in holders if d == nearest}.values())
        ids = self._school_people(school)
        self._load_users(ids)
        out = []
        for i in dict.fromkeys(ids):
            user = self._users.get(i)
            if user is not None and has_perm(user, action, target):
                out.append(user)
        return out


def audience_of(audience: str, school) -> list:
    return Resolver().audience(audience, school)
