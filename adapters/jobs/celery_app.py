from __future__ import annotations

from celery import Celery

DEFAULT_QUEUE = "default"


def celery_app(broker_url: str, result_backend: str | None, visibility_timeout_seconds: int) -> Celery:
    """The Celery application both sides share: the service sends job ids, workers run them."""
    app = Celery("englivo", broker=broker_url, backend=result_backend)
    app.conf.update(
        task_acks_late=True,  # a worker killed mid-job leaves the message for another worker
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,  # results live in the jobs table, not in the result backend
        timezone="UTC",
        broker_connection_retry_on_startup=True,
        task_default_queue=DEFAULT_QUEUE,
        broker_transport_options={"visibility_timeout": visibility_timeout_seconds},
        worker_hijack_root_logger=False,
    )
    return app
