"""Background jobs: their life cycle and the transitions it allows."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any


class JobStatus(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def finished(self) -> bool:
        return self in FINISHED


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED})
_ALLOWED: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.CANCELED, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.RUNNING, JobStatus.SUCCEEDED, JobStatus.FAILED,
                                  JobStatus.CANCELED, JobStatus.QUEUED}),
}


class InvalidTransition(Exception):
    pass


@dataclass(frozen=True)
class JobError:
    code: str
    message: str
    field: str | None = None


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    status: JobStatus
    input: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    user_id: str | None = None
    progress: float = 0.0
    attempts: int = 0
    result: dict[str, Any] | None = None
    error: JobError | None = None
    idempotency_key: str | None = None
    callback_url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def moved_to(self, status: JobStatus, at: datetime, **changes: Any) -> Job:
        if status not in _ALLOWED.get(self.status, frozenset()):
            raise InvalidTransition(f"job {self.id}: {self.status.value} -> {status.value} is not allowed")
        progress = 1.0 if status is JobStatus.SUCCEEDED else changes.pop("progress", self.progress)
        return replace(self, status=status, updated_at=at, progress=clamp_progress(progress), **changes)


def clamp_progress(value: float) -> float:
    return min(1.0, max(0.0, value))


@dataclass(frozen=True)
class RetryPolicy:
    """Transient failures retry with exponential backoff until `max_attempts` runs have been made."""

    max_attempts: int = 3
    base_delay_seconds: float = 2.0
    max_delay_seconds: float = 300.0

    def delay_before(self, attempt: int) -> float | None:
        """Seconds to wait before run number `attempt + 1`, or None when no attempt is left."""
        if attempt >= self.max_attempts:
            return None
        return float(min(self.max_delay_seconds, self.base_delay_seconds * 2 ** max(0, attempt - 1)))


def lease_expired(job: Job, now: datetime, lease_seconds: float) -> bool:
    """A running job whose runner has not been heard of for a whole lease is orphaned (its worker died)."""
    return job.status is JobStatus.RUNNING and (now - job.updated_at).total_seconds() > lease_seconds
