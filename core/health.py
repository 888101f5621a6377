"""What /healthz/ checks: the database answers, a worker beat recently, the file storage takes
a write, and how many tasks wait. Only states and counts, never data or error texts (the probe
needs no login)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections

from core.models import ProcessHeartbeat
from core.worker import heartbeat_age, pending_count, stale_seconds

logger = logging.getLogger(__name__)


@dataclass
class Health:
    checks: dict[str, Any] = field(default_factory=dict)
    down: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.down

    def as_json(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "down", "down": self.down, **self.checks}


def _database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("health: database unreachable", exc_info=True)
        return False


def _storage_ok() -> bool:
    try:
        name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        default_storage.delete(name)
        return True
    except Exception:  # any backend (disk full, S3 refused, network): the storage is down
        logger.warning("health: storage not writable", exc_info=True)
        return False


def _age(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def health() -> Health:
    result = Health()
    database = _database_ok()
    result.checks["database"] = {"ok": database}
    worker_age = heartbeat_age() if database else None
    worker = worker_age is not None and worker_age <= stale_seconds()
    result.checks["worker"] = {"ok": worker, "heartbeat_age_seconds": _age(worker_age)}
    # The scheduler only enqueues nightly work: shown, not a reason to take the site out.
    scheduler_age = heartbeat_age(ProcessHeartbeat.Role.SCHEDULER) if database else None
    result.checks["scheduler"] = {"heartbeat_age_seconds": _age(scheduler_age)}
    storage = _storage_ok()
    result.checks["storage"] = {"ok": storage}
    result.checks["pending_jobs"] = pending_count() if database else None
    result.down = [
        name
        for name, ok in (("database", database), ("worker", worker), ("storage", storage))
        if not ok
    ]
    return result
