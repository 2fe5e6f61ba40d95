from __future__ import annotations

import asyncio

from celery import Celery

RUN_JOB_TASK = "englivo.run_job"


class CeleryJobQueue:
    """Sends job ids to Celery workers on Redis; each worker runs the same RunJob use case."""

    def __init__(self, app: Celery, queue: str = "default") -> None:
        self._app = app
        self._queue = queue

    async def enqueue(self, job_id: str, delay_seconds: float = 0.0) -> None:
        countdown = delay_seconds if delay_seconds > 0 else None
        await asyncio.to_thread(
            self._app.send_task, RUN_JOB_TASK, args=[job_id], countdown=countdown, queue=self._queue
        )
