"""`englivo bench batch`: throughput of one batch of texts (submitBatch, one job) against the same texts sent
as single analyzeText calls, both through the whole HTTP stack with the in-process queue and no cache. Besides
wall-clock throughput it reports the process's CPU time per item, which other work on the machine disturbs less."""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

import click

KEY = "bench-key-0123456789"
ANALYZE = """mutation($input: AnalyzeTextInput!) { analyzeText(input: $input) { __typename
  ... on TextAnalysis { errors { type } } ... on UserError { code message } } }"""
SUBMIT = """mutation($items: [BatchItemInput!]!) { submitBatch(items: $items) { __typename
  ... on Job { id } ... on UserError { code message } } }"""
STATUS = """query($id: ID!) { job(id: $id) { status } }"""
READ = """query($id: ID!) { job(id: $id) { status result { ... on BatchResult { summary { succeeded failed } } } } }"""


def _texts(data: Path | None, count: int) -> list[str]:
    """W&I essays (JSON lines with "text"), or variants of the analysis benchmark's paragraph without them."""
    if data is not None:
        with data.open() as lines:
            texts = [json.loads(line)["text"].strip() for line in islice(lines, count)]
        if len(texts) == count:
            return texts
        click.echo(f"{data} holds fewer than {count} texts: using variants of the benchmark paragraph", err=True)
    from entrypoints.cli.analysis import BENCH_PARAGRAPH

    sentences = BENCH_PARAGRAPH.split(". ")
    return [". ".join(sentences[i % len(sentences):] + sentences[:i % len(sentences)]) + f" ({i})"
            for i in range(count)]


def _item(text: str) -> dict[str, Any]:
    return {"text": text, "learner": {"userId": "bench", "sessionId": "bench-session"}}


def _post(client: Any, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": query, "variables": variables}).json()
    if "errors" in body:
        raise click.ClickException(json.dumps(body["errors"])[:500])
    return dict(body["data"])


def _singles(client: Any, texts: list[str]) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        answer = _post(client, ANALYZE, {"input": _item(text)})["analyzeText"]
        if answer["__typename"] != "TextAnalysis":
            raise click.ClickException(f"analyzeText failed: {answer}")
    return time.perf_counter() - started, time.process_time() - cpu


def _batch(client: Any, texts: list[str]) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    accepted = _post(client, SUBMIT, {"items": [{"analysis": _item(t)} for t in texts]})["submitBatch"]
    if accepted["__typename"] != "Job":
        raise click.ClickException(f"submitBatch failed: {accepted}")
    while _post(client, STATUS, {"id": accepted["id"]})["job"]["status"] not in ("SUCCEEDED", "FAILED", "CANCELED"):
        time.sleep(0.25)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    job = _post(client, READ, {"id": accepted["id"]})["job"]
    summary = (job.get("result") or {}).get("summary") or {}
    if job["status"] != "SUCCEEDED" or summary.get("succeeded") != len(texts):
        raise click.ClickException(f"the batch did not analyse every text: {job}")
    return seconds, cpu_seconds


def _over_http(settings: Any, container: Any, texts: list[str]) -> tuple[float, float, float, float]:
    from starlette.testclient import TestClient

    from entrypoints.http.app import create_app

    with TestClient(create_app(settings, container), headers={"x-api-key": KEY}) as client:
        # An untimed pass over the same texts first: the word-level caches (spaCy's vocabulary, word
        # frequencies, Harper's dictionary, ...) then favour neither of the timed passes.
        _singles(client, texts)
        if container.analysis_workers() is not None:  # the worker processes' own untimed pass
            _batch(client, texts)
        _batch(client, [f"I am student number {n} and I like apple." for n in range(10)])  # flushes the parses
        # The batch before the singles: the parses it leaves in the 8-entry cache are evicted long before
        # the singles reach those texts.
        batch_seconds, batch_cpu = _batch(client, texts)
        single_seconds, single_cpu = _singles(client, texts)
    return batch_seconds, batch_cpu, single_seconds, single_cpu


async def _use_case(container: Any, texts: list[str]) -> tuple[float, float, float, float]:
    """`AnalyzeText.execute` one text after another, then `execute_many` over them all: no HTTP, no job."""
    from application.use_cases.analyze_text import AnalyzeTextCommand

    analyze = container.analyze_text()
    commands = [AnalyzeTextCommand(text, "bench") for text in texts]
    for command in commands:  # untimed, as over HTTP
        await analyze.execute(command)
    started, cpu = time.perf_counter(), time.process_time()
    for command in commands:
        await analyze.execute(command)
    single_seconds, single_cpu = time.perf_counter() - started, time.process_time() - cpu
    if container.analysis_workers() is not None:  # the worker processes' own untimed pass
        await analyze.execute_many(commands)
    await analyze.execute_many([AnalyzeTextCommand(f"I am student number {n}.", "bench") for n in range(10)])
    started, cpu = time.perf_counter(), time.process_time()
    await analyze.execute_many(commands)
    return time.perf_counter() - started, time.process_time() - cpu, single_seconds, single_cpu


@click.command(name="batch", help="Items/s of one batch of texts against the same texts as single analyzeText calls.")
@click.option("--items", "count", default=100, show_default=True, help="Texts in the batch (and single calls).")
@click.option("--data", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="JSON lines with a \"text\" field, e.g. Write & Improve 2.1's B.train.json (BEA-2019; see "
                   "the README, 'Data for training and evaluation'). Default: variants of the analysis "
                   "benchmark's paragraph.")
@click.option("--use-case", is_flag=True, help="Call the AnalyzeText use case directly: no HTTP, no job machinery.")
@click.option("--processes", type=click.IntRange(0, 64), default=None,
              help="Worker processes for the batch (ENGLIVO_INFERENCE__BATCH_PROCESSES); default: the settings'.")
def bench_batch(count: int, data: Path | None, use_case: bool, processes: int | None) -> None:
    from adapters.persistence.migrate import upgrade
    from entrypoints.container import build_container, warm_up_models
    from entrypoints.settings import load_settings

    texts = _texts(data, count)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            environment="test", database={"url": f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"},
            cache={"enabled": False, "dir": Path(folder) / "cache"},
            security={"api_keys": [KEY], "rate_limit_enabled": False}, observability={"log_level": "WARNING"},
            jobs={"batch_max_items": max(count, 500)},
            **({"inference": {"batch_processes": processes}} if processes is not None else {}),
        )
        container = build_container(settings)
        warm_up_models(container)
        if use_case:
            upgrade(settings.database.url, settings.database.db_schema)  # the app does this on start-up
            batch_seconds, batch_cpu, single_seconds, single_cpu = asyncio.run(_use_case(container, texts))
            if (workers := container.analysis_workers()) is not None:
                workers.close()
        else:
            batch_seconds, batch_cpu, single_seconds, single_cpu = _over_http(settings, container, texts)
    # with worker processes the batch's CPU is theirs, not counted here
    print(f"batch: {batch_seconds:.1f} s, {batch_cpu:.1f} CPU s of this process; single calls: {single_seconds:.1f} s, "
          f"{single_cpu:.1f} CPU s", file=sys.stderr)
    words = sum(len(t.split()) for t in texts)
    click.echo(json.dumps({
        "items": count, "mean_words": round(words / count, 1), "path": "use case" if use_case else "http",
        "batch_items_per_s": round(count / batch_seconds, 2), "single_items_per_s": round(count / single_seconds, 2),
        "speedup": round(single_seconds / batch_seconds, 2),
        "batch_cpu_ms_per_item": round(1000 * batch_cpu / count, 1),
        "single_cpu_ms_per_item": round(1000 * single_cpu / count, 1),
        "batch_concurrency": settings.inference.concurrency,
        "batch_processes": settings.inference.batch_processes,
    }))
