"""`create_worker(settings)`: the Celery application. Tasks are thin: they take ids and call use cases."""

from __future__ import annotations

from celery import Celery

from entrypoints.settings import Settings, SettingsError


def create_worker(settings: Settings) -> Celery:
    broker = settings.celery_broker_url
    if not broker:
        raise SettingsError(
            "ENGLIVO_REDIS__URL (or ENGLIVO_CELERY__BROKER_URL) must be set to run Celery workers; "
            "without it the service runs jobs in-process and needs no worker"
        )
    app = Celery("englivo", broker=broker, backend=settings.celery_result_backend)
    app.conf.update(
        task_acks_late=True,  # a worker killed mid-job leaves the job for another worker
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        timezone="UTC",
        broker_connection_retry_on_startup=True,
        task_default_queue="default",
    )

    @app.task(name="englivo.ping")
    def ping() -> str:
        return "pong"

    return app
