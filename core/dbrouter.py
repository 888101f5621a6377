"""Read replica for the dashboards. With DATABASE_REPLICA_URL set (settings: the "replica"
alias), the reads made inside `replica_reads()` — the views marked `@reads_from_replica` —
go to the replica; every other read, every write and every migration go to the primary.
Only pages that tolerate a few seconds of replication lag are marked (dashboards: counts and
charts), never a page that reads what the user has just written."""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_in_use() -> bool:
    """Whether this request's reads go to a replica now."""
    return _use_replica.get() and REPLICA in settings.DATABASES


def reads_from_replica(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if _use_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db != REPLICA
