from __future__ import annotations

from typing import Any, Protocol


class ProgressReport(Protocol):
    """Handlers call it with 0..1 as they go (and, for jobs made of parts, the result so far, which readers
    see while the job runs); it raises JobCanceled once the job was canceled."""

    async def __call__(self, progress: float, partial: dict[str, Any] | None = None) -> None: ...


class TransientJobError(Exception):
    """A failure worth retrying: a provider timeout, a dependency blip. Anything that is the request's fault
    is a domain UserError instead, and fails the job at once."""


class WebhookRefused(Exception):
    """The callback URL may not be called (malformed, or its host is not a public address): trying again
    cannot help."""


class JobCanceled(Exception):
    pass


class JobHandler(Protocol):
    """Runs one kind of job: a capability's use case behind a JSON-in, JSON-out boundary, so that jobs can be
    stored, retried and run by any worker."""

    kind: str

    def validate(self, payload: dict[str, Any]) -> None:
        """Raises a domain UserError for input that can never succeed, before the job is accepted."""
        ...

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]: ...


class JobQueue(Protocol):
    async def enqueue(self, job_id: str, delay_seconds: float = 0.0) -> None: ...


class WebhookSender(Protocol):
    async def deliver(self, url: str, message_id: str, event: str, payload: dict[str, Any]) -> None:
        """Delivers once (signed); raises TransientJobError when the receiver should be tried again, and
        WebhookRefused when the URL may not be called at all. A resent message keeps its `message_id`, so
        receivers can drop duplicates."""
        ...
