"""`englivo bench api`: the engine's own overhead per GraphQL call (auth, rate limit, logging, metrics,
GraphQL execution), in-process, so capability benchmarks can subtract it."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

import click


@click.command(name="api", help="Median and p95 latency of `{ health }` through the whole HTTP stack.")
@click.option("--requests", "count", default=500, show_default=True, help="Timed requests after warm-up.")
def bench_api(count: int) -> None:
    from starlette.testclient import TestClient

    from entrypoints.http.app import create_app
    from entrypoints.settings import load_settings

    key = "bench-key-0123456789"
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            environment="test",
            database={"url": f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"},
            cache={"dir": Path(folder) / "cache"},
            security={"api_keys": [key], "rate_limit_per_key": "1000000/minute"},
            observability={"log_level": "WARNING"},
        )
        with TestClient(create_app(settings), headers={"x-api-key": key}) as client:
            body = {"query": "{ health }"}
            for _ in range(50):
                client.post("/graphql", json=body)
            timings = []
            for _ in range(count):
                started = time.perf_counter()
                client.post("/graphql", json=body).raise_for_status()
                timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    click.echo(json.dumps({
        "n": count,
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (count - 1))], 2),
        "requests_per_second": round(1000 / statistics.mean(timings), 1),
    }))
