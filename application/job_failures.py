"""What a failed run of a job, or of one item of a batch, leads to: another try, or the error it keeps.

The request's own fault (a UserError) fails at once with its typed error, unless it says the same request
may succeed later (`retryable`: the learner's audio host timed out). Transient errors and engine faults are
tried again; once no attempt is left, the error says how many were made and keeps the last one's code."""

from __future__ import annotations

from application.ports.jobs import TransientJobError
from domain.errors import UserError
from domain.jobs import JobError


def worth_retrying(exc: Exception) -> bool:
    return not isinstance(exc, UserError) or exc.retryable


def anticipated(exc: Exception) -> bool:
    """A failure the engine expects now and then (a transient error, a host that did not answer), logged
    without a stack trace; an engine fault gets one."""
    return isinstance(exc, TransientJobError | UserError)


def attempt_error(exc: Exception, error_id: str) -> JobError:
    """What one failed attempt says; `error_id` names an engine fault in the logs (its message is not shown)."""
    if isinstance(exc, UserError):
        return JobError(exc.code, exc.message, exc.field)
    if isinstance(exc, TransientJobError):
        return JobError("transient", str(exc))
    return JobError("internal", f"engine error {error_id}")


def final_error(exc: Exception, attempts: int, error_id: str) -> JobError:
    """The error kept once no attempt is left (at once, for the request's own fault)."""
    error = attempt_error(exc, error_id)
    if not worth_retrying(exc):
        return error
    code = "gave_up" if error.code == "transient" else error.code
    return JobError(code, f"failed after {attempts} attempts: {error.message}", error.field)
