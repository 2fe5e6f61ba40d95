"""The embedded job queue: asyncio tasks in the service process, at most `concurrency` jobs at once. Jobs live
in the database, so a restart loses none: RecoverJobs queues them again at start-up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import structlog

from application.use_cases.job_runner import RunOutcome

log = structlog.get_logger(__name__)


class InProcessJobQueue:
    def __init__(self, run: Callable[[str], Awaitable[RunOutcome]], concurrency: int) -> None:
        self._run = run
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    async def enqueue(self, job_id: str, delay_seconds: float = 0.0) -> None:
        if self._closed:
            return  # shutting down: the job stays queued in the database for the next start
        task = asyncio.create_task(self._later(job_id, delay_seconds), name=f"job:{job_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _later(self, job_id: str, delay_seconds: float) -> None:
        if delay_seconds > 0:
            await asyncio.sleep(delay_seconds)
        async with self._slots:
            try:
                outcome = await self._run(job_id)
            except Exception:  # the job stays in the database; recovery or a retry picks it up
                log.exception("job_runner_crashed", job_id=job_id)
                return
        if outcome.retry_in is not None:
            await self.enqueue(job_id, outcome.retry_in)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def close(self) -> None:
        """Stops every task; what they were running stays queued or running in the database."""
        self._closed = True
        for task in tuple(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
