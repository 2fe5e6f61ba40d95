"""A real Celery worker process whose container runs fake job handlers, for the worker-death tests:
`python -m tests.fakes.celery_worker NAME`. Settings come from ENGLIVO_* like `englivo worker`."""

from __future__ import annotations

import sys

from dependency_injector import providers

from adapters.observability.logging import configure_logging
from entrypoints.container import build_container
from entrypoints.settings import load_settings
from entrypoints.worker import create_worker
from tests.fakes.jobs import FlakyHandler, SlowHandler


def main(name: str) -> None:
    settings = load_settings()
    configure_logging("INFO")
    container = build_container(settings)
    handlers = {"slow": SlowHandler(seconds=6.0), "flaky": FlakyHandler(failures=1)}
    container.job_handlers.override(providers.Object(handlers))
    app = create_worker(settings, container)
    app.worker_main(["worker", "--pool", "solo", "--loglevel", "INFO", "--hostname", f"{name}@%h",
                     "--without-mingle", "--without-gossip"])


if __name__ == "__main__":
    main(sys.argv[1])
