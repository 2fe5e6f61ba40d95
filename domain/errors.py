"""Expected failures a caller can act on. Each carries a stable code, a human message and the field at fault.

The API maps these one-to-one onto typed GraphQL union members; anything else is an unexpected failure.
"""

from __future__ import annotations


class UserError(Exception):
    """A failure caused by the request, not by the engine."""

    code: str = "user_error"

    def __init__(
        self, message: str, *, field: str | None = None, code: str | None = None, retryable: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.retryable = retryable
        """The same request may succeed later (the learner's audio host timed out or answered 503): a job
        retries it with backoff, where a request answered at once reports it."""
        if code is not None:
            self.code = code


class InvalidInput(UserError):
    code = "invalid_input"


class AudioRejected(UserError):
    """Audio we will not process; `limit` names the limit it broke, e.g. "25 MB"."""

    code = "audio_rejected"

    def __init__(
        self, message: str, *, code: str, field: str | None = "audio", limit: str | None = None,
        retryable: bool = False,
    ) -> None:
        super().__init__(message, field=field, code=code, retryable=retryable)
        self.limit = limit


class RateLimited(UserError):
    code = "rate_limited"

    def __init__(
        self, message: str, *, retry_after_seconds: int, field: str | None = None, items_that_fit: int | None = None
    ) -> None:
        """`items_that_fit`: for a refused batch, how many of its items the limit would take now."""
        super().__init__(message, field=field)
        self.retry_after_seconds = retry_after_seconds
        self.items_that_fit = items_that_fit


class ProviderUnavailable(UserError):
    """An optional provider the caller asked for is not configured or not answering."""

    code = "provider_unavailable"

    def __init__(self, message: str, *, provider: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.provider = provider


class NotFound(UserError):
    code = "not_found"


class Conflict(UserError):
    code = "conflict"
