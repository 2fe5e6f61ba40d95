"""Issue 17: a job's or a batch's model calls wait behind interactive calls. The job runner marks everything a
handler does as background work, and the one inference scheduler serves interactive calls first; orders are
asserted, never durations."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from adapters.inference.scheduler import InferenceScheduler
from adapters.persistence.database import Database
from application.ports.jobs import ProgressReport
from domain.jobs import JobStatus
from tests.integration.test_jobs import Jobs, command

pytestmark = pytest.mark.integration


class ModelCallingHandler:
    """A job that makes several model calls at once, as a batch of texts does."""

    kind = "gated"

    def __init__(self, scheduler: InferenceScheduler, ran: list[str]) -> None:
        self._scheduler = scheduler
        self._ran = ran
        self.queued = asyncio.Event()

    def validate(self, payload: dict[str, Any]) -> None:
        return None

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        calls = [asyncio.create_task(self._scheduler.run(self._ran.append, f"job item {i}")) for i in range(3)]
        await asyncio.sleep(0)  # each call is queued when its task first runs
        self.queued.set()
        await asyncio.gather(*calls)
        return {}


async def test_an_interactive_call_overtakes_the_model_calls_a_running_job_has_queued(database: Database) -> None:
    scheduler = InferenceScheduler(workers=1, timeout_seconds=60)
    started, release, ran = threading.Event(), threading.Event(), []

    def busy_model() -> None:
        started.set()
        assert release.wait(30)

    handler = ModelCallingHandler(scheduler, ran)
    jobs = Jobs(database, {handler.kind: handler})
    try:
        busy = asyncio.create_task(scheduler.run(busy_model))
        assert await asyncio.to_thread(started.wait, 30)
        job = await jobs.submit.execute(command())
        await asyncio.wait_for(handler.queued.wait(), 30)
        interactive = asyncio.create_task(scheduler.run(ran.append, "interactive"))
        await asyncio.sleep(0)
        release.set()
        await asyncio.gather(busy, interactive)
        assert (await jobs.until_finished(job.id)).status is JobStatus.SUCCEEDED
    finally:
        release.set()
        await jobs.queue.close()
        scheduler.close()
    assert ran == ["interactive", "job item 0", "job item 1", "job item 2"]
