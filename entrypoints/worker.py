"""`create_worker(settings)`: the Celery application with its tasks. Tasks are thin: they take a job id and
call the same RunJob use case the in-process queue calls."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from celery import Celery, Task

from adapters.jobs.celery_app import celery_app
from adapters.jobs.celery_queue import RUN_JOB_TASK
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings, SettingsError

T = TypeVar("T")


class WorkerRuntime:
    """One container and one event loop per worker process, built on the first task (after the fork), so
    database pools and models are shared by every task the process runs."""

    def __init__(self, settings: Settings, container: Container | None = None) -> None:
        self._settings = settings
        self._container = container
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def run(self, work: Callable[[Container], Coroutine[Any, Any, T]]) -> T:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
            if self._container is None:
                self._container = build_container(self._settings)
            return self._loop.run_until_complete(work(self._container))


def create_worker(settings: Settings, container: Container | None = None) -> Celery:
    broker = settings.celery_broker_url
    if not broker:
        raise SettingsError(
            "ENGLIVO_REDIS__URL (or ENGLIVO_CELERY__BROKER_URL) must be set to run Celery workers; "
            "without it the service runs jobs in-process and needs no worker"
        )
    app = celery_app(broker, settings.celery_result_backend, settings.jobs.visibility_timeout_seconds)
    runtime = WorkerRuntime(settings, container)

    @app.task(name=RUN_JOB_TASK, bind=True, max_retries=None)
    def run_job(task: Task, job_id: str) -> None:
        outcome = runtime.run(lambda c: c.run_job().execute(job_id))
        if outcome.retry_in is not None:
            raise task.retry(countdown=outcome.retry_in)

    @app.task(name="englivo.ping")
    def ping() -> str:
        return "pong"

    return app
