"""`englivo bench load`: a bounded load run against a real server process on 127.0.0.1.

Distinct ~100-word texts from distinct learners go to `analyzeText` at each concurrency, while one client
asks `{ health }` throughout; afterwards the stored results of each level are counted, so a result the
server answered but did not keep shows up as lost. Every request has a timeout, every level a deadline,
and nothing leaves 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
KEY = "bench-load-key-0123456789"
ANALYZE = """mutation($input: AnalyzeTextInput!) { analyzeText(input: $input) { __typename
  ... on UserError { code message } } }"""
HEALTH_EVERY_S = 0.2
SERVER_START_S = 180.0
# Sentences of the kind learners write, several with the errors the engine looks for; each text draws
# its own selection and order, so no two texts (and no two cache keys) are the same.
SENTENCES = (
    "Last summer I go to the beach with my family and we swim every day.",
    "My brother have a new job in a big company near the river.",
    "I am agree that people should spend more time with their friends.",
    "Yesterday the teacher explained us the new grammar very clearly.",
    "We was very tired after the long trip, but the hotel was comfortable.",
    "In my opinion, learning English is more easier when you watch films.",
    "She don't like coffee, so she usually drinks tea in the morning.",
    "There are many informations about the city on the internet.",
    "I have been living in this town since five years and I like it.",
    "If I will have more money, I would travel around the world.",
    "The people in my country is very friendly and they like to talk.",
    "Every weekends we play football in the park behind our school.",
    "I think that technology make our life much more simple than before.",
    "My parents bought me a bicycle when I was ten years old.",
    "Our neighbours are planning a party for the end of the month.",
    "He said me that the museum was closed on Mondays.",
    "Reading books helps me to learn new words and better expressions.",
    "I didn't went to the concert because I had an exam the next day.",
    "The weather was terrible, so we decided to stay at home and cook.",
    "Many students prefer to study in the library because it is quiet.",
    "When I arrived to the station, the train had already left.",
    "It is important to do exercise regularly for keep healthy.",
    "My best friend and me are going to visit London next spring.",
    "I look forward to hear from you as soon as possible.",
)


def load_texts(count: int, words: int = 100, seed: int = 0) -> list[str]:
    """`count` distinct texts of about `words` words each."""
    texts: list[str] = []
    seen: set[str] = set()
    rng = random.Random(seed)
    for _ in range(count * 20):  # bounded: duplicates are rare, a few redraws at most
        if len(texts) == count:
            break
        order = rng.sample(SENTENCES, len(SENTENCES))
        chosen: list[str] = []
        while sum(len(s.split()) for s in chosen) < words:
            chosen.append(order[len(chosen)])
        text = " ".join(chosen)
        if text not in seen:
            seen.add(text)
            texts.append(text)
    if len(texts) < count:
        raise click.ClickException(f"could not draw {count} distinct texts")
    return texts


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


@dataclass
class Outcomes:
    latencies_ms: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    first_error: str | None = None

    def failed(self, kind: str, detail: object) -> None:
        self.errors[kind] += 1
        if self.first_error is None:
            self.first_error = str(detail)[:300]

    def summary(self) -> dict[str, Any]:
        return {"ok": len(self.latencies_ms), "errors": sum(self.errors.values()), "error_kinds": dict(self.errors),
                "first_error": self.first_error,
                "p50_ms": _percentile(self.latencies_ms, 0.5), "p95_ms": _percentile(self.latencies_ms, 0.95)}


async def _analyze(client: Any, text: str, user_id: str, outcomes: Outcomes, timeout_s: float) -> None:
    from httpx import HTTPError

    body = {"query": ANALYZE, "variables": {"input": {"text": text, "learner": {"userId": user_id}}}}
    started = time.perf_counter()
    try:
        response = await client.post("/graphql", json=body, timeout=timeout_s)
    except HTTPError as exc:
        outcomes.failed(type(exc).__name__, exc)
        return
    answer = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    if response.status_code != 200 or answer.get("errors"):
        codes = [str((e.get("extensions") or {}).get("code", "error")) for e in answer.get("errors") or []]
        outcomes.failed(f"http_{response.status_code}:{','.join(codes) or 'no_body'}",
                        answer.get("errors") or response.text)
        return
    result = (answer.get("data") or {}).get("analyzeText") or {}
    if result.get("__typename") != "TextAnalysis":
        outcomes.failed(str(result.get("__typename")), result)
        return
    outcomes.latencies_ms.append((time.perf_counter() - started) * 1000)


async def _health_until(client: Any, done: asyncio.Event, outcomes: Outcomes, limit: int) -> None:
    from httpx import HTTPError

    for _ in range(limit):
        if done.is_set():
            return
        started = time.perf_counter()
        try:
            response = await client.post("/graphql", json={"query": "{ health }"}, timeout=30)
            if response.status_code == 200 and (response.json().get("data") or {}).get("health"):
                outcomes.latencies_ms.append((time.perf_counter() - started) * 1000)
            else:
                outcomes.failed(f"http_{response.status_code}", response.text)
        except HTTPError as exc:
            outcomes.failed(type(exc).__name__, exc)
        with suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), HEALTH_EVERY_S)


@dataclass(frozen=True)
class LoadPlan:
    concurrencies: tuple[int, ...]
    requests: int
    words: int
    request_timeout_s: float
    level_deadline_s: float


async def _level(base_url: str, concurrency: int, texts: list[str], users: list[str],
                 plan: LoadPlan) -> dict[str, Any]:
    import httpx

    analyses, health = Outcomes(), Outcomes()
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for pair in zip(texts, users, strict=True):
        queue.put_nowait(pair)
    limits = httpx.Limits(max_connections=concurrency + 2)
    async with httpx.AsyncClient(base_url=base_url, headers={"x-api-key": KEY}, limits=limits) as client:
        async def worker() -> None:
            while not queue.empty():
                text, user = queue.get_nowait()
                await _analyze(client, text, user, analyses, plan.request_timeout_s)

        done = asyncio.Event()
        prober = asyncio.create_task(
            _health_until(client, done, health, int(plan.level_deadline_s / HEALTH_EVERY_S) + 1))
        started = time.perf_counter()
        try:
            await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), plan.level_deadline_s)
        except TimeoutError:  # the requests not yet answered count as errors
            answered = len(analyses.latencies_ms) + sum(analyses.errors.values())
            analyses.errors["level_deadline"] += len(texts) - answered
        seconds = time.perf_counter() - started
        done.set()
        await prober
    return {"concurrency": concurrency, "requests": len(texts), "seconds": round(seconds, 2),
            "throughput_per_s": round(len(analyses.latencies_ms) / seconds, 2), **analyses.summary(),
            "health": health.summary()}


async def _count_stored(database_url: str, schema: str, prefix: str) -> int:
    from sqlalchemy import func, select

    from adapters.persistence.database import Database
    from adapters.persistence.tables import analysis_results

    database = Database(database_url, schema)
    try:
        async with database.engine.connect() as connection:
            query = select(func.count()).select_from(analysis_results).where(
                analysis_results.c.user_id.like(f"{prefix}%"))
            return int((await connection.execute(query)).scalar_one())
    finally:
        await database.dispose()


async def _drop_schema(database_url: str, schema: str) -> None:
    from sqlalchemy import text

    from adapters.persistence.database import Database

    database = Database(database_url, schema)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await database.dispose()


async def run_load(base_url: str, database_url: str | None, schema: str, plan: LoadPlan) -> dict[str, Any]:
    run = uuid.uuid4().hex[:8]
    warm = load_texts(4, plan.words, seed=10_000)
    await _level(base_url, 2, warm, [f"bench-load-{run}-warm-{i}" for i in range(len(warm))], plan)  # loads models
    levels = []
    for number, concurrency in enumerate(plan.concurrencies):
        prefix = f"bench-load-{run}-c{concurrency}-{number}-"
        texts = load_texts(plan.requests, plan.words, seed=number + 1)
        level = await _level(base_url, concurrency, texts, [f"{prefix}{i}" for i in range(len(texts))], plan)
        if database_url is not None:
            stored = await _count_stored(database_url, schema, prefix)
            level.update(stored=stored, lost=level["ok"] - stored)
        levels.append(level)
        click.echo(json.dumps(level), err=True)
    return {"server": base_url, "database": _dialect(database_url), "words_per_text": plan.words,
            "levels": levels}


def _dialect(database_url: str | None) -> str | None:
    return None if database_url is None else database_url.split(":", 1)[0].split("+", 1)[0]


def _require_loopback(url: str, what: str) -> None:
    if url.startswith("sqlite"):
        return
    host = urlsplit(url).hostname
    if host not in LOOPBACK:
        raise click.BadParameter(f"{what} must point at 127.0.0.1 (got host {host!r}): the load stays local")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(database_url: str, schema: str, folder: Path) -> Iterator[str]:
    """`englivo serve` in a child process on a free 127.0.0.1 port, with this database and no rate limits;
    stopped (terminate, then kill) however the block ends."""
    import httpx

    port = _free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ENGLIVO_")},
           "ENGLIVO_DATABASE__URL": database_url, "ENGLIVO_DATABASE__DB_SCHEMA": schema,
           "ENGLIVO_SECURITY__API_KEYS": KEY, "ENGLIVO_SECURITY__RATE_LIMIT_ENABLED": "false",
           "ENGLIVO_CACHE__DIR": str(folder / "cache"), "ENGLIVO_OBSERVABILITY__LOG_LEVEL": "WARNING"}
    log_path = folder / "server.log"
    command = [sys.executable, "-c", "from entrypoints.cli.main import main; main()",
               "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    with log_path.open("wb") as log:
        # cwd: the folder, so the developer's .env is not read
        server = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if server.poll() is not None:
                raise click.ClickException(f"the server exited ({server.returncode}):\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise click.ClickException(f"the server did not answer within {SERVER_START_S:g} s")
            try:
                if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@click.command(name="load", help="analyzeText at several concurrencies against a real server on 127.0.0.1, "
               "with { health } alongside; prints throughput, p50/p95, errors and lost results as JSON.")
@click.option("--concurrency", "concurrencies", default="4,16,32", show_default=True,
              help="Comma-separated concurrency levels, run one after the other.")
@click.option("--requests", default=200, show_default=True, type=click.IntRange(1, 5_000),
              help="analyzeText calls per level.")
@click.option("--words", default=100, show_default=True, type=click.IntRange(10, 1_000), help="Words per text.")
@click.option("--database-url", default=None,
              help="The server's database (PostgreSQL on 127.0.0.1: a fresh schema, dropped afterwards); "
                   "default: a temporary SQLite file.")
@click.option("--url", "server_url", default=None,
              help="A running server on 127.0.0.1 to load instead of starting one (its API key must be the "
                   f"bench's, {KEY!r}); stored results are counted only with --database-url.")
@click.option("--schema", default="englivo", show_default=True,
              help="With --url and a PostgreSQL --database-url: the server's schema, where results are counted.")
@click.option("--request-timeout", default=120.0, show_default=True, help="Seconds per request.")
@click.option("--level-deadline", default=900.0, show_default=True, help="Seconds per level at most.")
def bench_load(concurrencies: str, requests: int, words: int, database_url: str | None, server_url: str | None,
               schema: str, request_timeout: float, level_deadline: float) -> None:
    try:
        levels = tuple(int(part) for part in concurrencies.split(","))
    except ValueError:
        raise click.BadParameter("a comma-separated list of integers, e.g. 4,16,32",
                                 param_hint="--concurrency") from None
    if not levels or not all(1 <= level <= 256 for level in levels):
        raise click.BadParameter("each level must be 1 to 256", param_hint="--concurrency")
    plan = LoadPlan(levels, requests, words, request_timeout, level_deadline)
    for url, what in ((database_url, "--database-url"), (server_url, "--url")):
        if url is not None:
            _require_loopback(url, what)
    if server_url is not None:
        report = asyncio.run(run_load(server_url.rstrip("/"), database_url, schema, plan))
        click.echo(json.dumps(report))
        return
    with tempfile.TemporaryDirectory(prefix="englivo-load-") as name:
        folder = Path(name)
        url = database_url or f"sqlite+aiosqlite:///{folder / 'load.db'}"
        schema = f"englivo_load_{uuid.uuid4().hex[:8]}" if database_url else "englivo"
        try:
            with serving(url, schema, folder) as base_url:
                report = asyncio.run(run_load(base_url, url, schema, plan))
        finally:
            if database_url is not None:
                asyncio.run(_drop_schema(url, schema))
    click.echo(json.dumps(report))
