"""`submitBatch`: many texts and recordings as one job. Text analyses share one parser pass (see
AnalyzeText.execute_many); recordings run one after another through their own handlers. Each item keeps its
status and its result or typed error. While the batch runs, readers see each item's status and error; the
results (which can be large, and every read of the job would load them) come with the finished batch."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Mapping
from typing import Any

import structlog

from application.job_failures import anticipated, attempt_error, final_error, worth_retrying
from application.job_handlers.analysis import KIND as ANALYSIS
from application.job_handlers.analysis import analysis_command
from application.job_handlers.pronunciation import KIND as PRONUNCIATION
from application.ports.jobs import JobCanceled, JobHandler, ProgressReport
from application.use_cases.analyze_text import AnalyzeText, AnalyzeTextCommand
from domain.analysis.analysis import TextAnalysis
from domain.analysis.findings import occurrences_of
from domain.batch import (
    BatchItem,
    ItemFacts,
    ItemStatus,
    batch_to_dict,
    progress_of,
    summarize,
)
from domain.errors import InvalidInput, UserError
from domain.jobs import JobError, RetryPolicy

log = structlog.get_logger(__name__)
KIND = "batch"
PARTIAL_EVERY_SECONDS = 1.0


def batch_payload(items: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return {"items": [{"kind": kind, "input": payload} for kind, payload in items]}


class BatchJobHandler:
    kind = KIND

    def __init__(self, handlers: Mapping[str, JobHandler], analyze: AnalyzeText | None, max_items: int,
                 retry: RetryPolicy | None = None) -> None:
        self._handlers = {k: h for k, h in handlers.items() if k != KIND}
        self._analyze = analyze
        self._max_items = max_items
        self._retry = retry or RetryPolicy()

    def validate(self, payload: dict[str, Any]) -> None:
        """Only the batch's shape: each item's own input is checked when it runs, and a bad one fails alone."""
        items = payload.get("items")
        if not isinstance(items, list) or not items:
            raise InvalidInput("a batch needs at least one item", field="items")
        if len(items) > self._max_items:
            raise InvalidInput(f"a batch holds at most {self._max_items} items; this one has {len(items)}",
                               field="items", code="too_many_items")
        accepted = ", ".join(sorted(self._handlers))
        for index, item in enumerate(items):
            if not isinstance(item, dict) or item.get("kind") not in self._handlers \
                    or not isinstance(item.get("input"), dict):
                raise InvalidInput(f"each item is one of: {accepted}", field=f"items[{index}]")

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        """Every item once; then, in rounds after the job's retry delays, the items whose failure is worth
        another try (a transient error, an engine fault, an audio host that did not answer), as a job would be.
        The batch itself succeeds: its items keep their own outcomes."""
        run = _BatchRun([BatchItem(i, item["kind"]) for i, item in enumerate(payload["items"])], report)
        await run.publish(force=True)
        inputs = [item["input"] for item in payload["items"]]
        pending = list(range(len(run.items)))
        for round_number in itertools.count(1):
            await self._run_round(run, pending, inputs)
            delay = self._retry.delay_before(round_number)
            pending = run.settle_faltered(again=delay is not None)
            await run.publish(force=True)
            if not pending:
                break
            await asyncio.sleep(delay or 0.0)
        return batch_to_dict(run.items, summarize(run.items, list(run.facts.values())))

    async def _run_round(self, run: _BatchRun, indexes: list[int], inputs: list[dict[str, Any]]) -> None:
        texts = [i for i in indexes if run.items[i].kind == ANALYSIS and self._analyze is not None]
        if texts:
            await self._analyse(run, texts, inputs)
        for index in sorted(set(indexes) - set(texts)):
            await self._run_one(run, index, inputs[index])

    async def _analyse(self, run: _BatchRun, indexes: list[int], inputs: list[dict[str, Any]]) -> None:
        assert self._analyze is not None
        commands: list[tuple[int, AnalyzeTextCommand]] = []
        for index in indexes:
            run.start(index)
            try:
                commands.append((index, analysis_command(inputs[index])))
            except UserError as error:
                run.fail(index, attempt_error(error, ""))
        await run.publish()

        async def done(position: int, outcome: TextAnalysis | UserError) -> None:
            index = commands[position][0]
            if isinstance(outcome, UserError):
                run.falter(index, outcome)
            else:
                run.succeed(index, outcome.to_dict(), ItemFacts(
                    cefr_score=getattr(outcome.cefr, "score", None), error_count=occurrences_of(outcome.errors),
                    words=outcome.metrics.words))
            await run.publish()

        try:
            await self._analyze.execute_many([c for _, c in commands], done)
        except JobCanceled:
            raise
        except Exception as exc:  # an engine fault stops the texts not done yet, not the recordings
            for index, _ in commands:
                if run.items[index].status is ItemStatus.RUNNING and index not in run.faltered:
                    run.falter(index, exc)

    async def _run_one(self, run: _BatchRun, index: int, payload: dict[str, Any]) -> None:
        handler = self._handlers[run.items[index].kind]
        run.start(index)
        await run.publish()

        async def no_progress(progress: float, partial: dict[str, Any] | None = None) -> None:
            return None

        try:
            handler.validate(payload)
            result = await handler.run(payload, no_progress)
        except JobCanceled:
            raise
        except Exception as exc:
            run.falter(index, exc)
        else:
            facts = ItemFacts()
            if run.items[index].kind == PRONUNCIATION:
                facts = ItemFacts(pronunciation=float(result["scores"]["pronunciation"]))
            run.succeed(index, result, facts)
        await run.publish()


class _BatchRun:
    def __init__(self, items: list[BatchItem], report: ProgressReport) -> None:
        self.items = items
        self.facts: dict[int, ItemFacts] = {}
        self.faltered: dict[int, Exception] = {}
        """Items whose run this round failed, until `settle_faltered` decides between another try and failing."""
        self._report = report
        self._published = 0.0

    def start(self, index: int) -> None:
        self.items[index] = self.items[index].started()

    def succeed(self, index: int, result: dict[str, Any], facts: ItemFacts) -> None:
        self.items[index] = self.items[index].succeeded(result)
        self.facts[index] = facts

    def fail(self, index: int, error: JobError) -> None:
        self.items[index] = self.items[index].failed(error)

    def falter(self, index: int, exc: Exception) -> None:
        self.faltered[index] = exc

    def settle_faltered(self, again: bool) -> list[int]:
        """The request's own faults fail now; the others wait for another try when `again`, else fail with
        the number of attempts made. Returns the items to try again."""
        retry = []
        for index, exc in sorted(self.faltered.items()):
            item = self.items[index]
            error_id = uuid.uuid4().hex
            retryable = worth_retrying(exc)
            if retryable:
                expected = anticipated(exc)
                log.warning("batch_item_attempt_failed", index=index, kind=item.kind, attempt=item.attempts,
                            error_id=error_id, error=type(exc).__name__, again=again, exc_info=not expected)
            if retryable and again:
                self.items[index] = item.waiting(attempt_error(exc, error_id))
                retry.append(index)
            else:
                self.fail(index, final_error(exc, item.attempts, error_id))
        self.faltered = {}
        return retry

    async def publish(self, force: bool = False) -> None:
        """Progress every time; the items' statuses and errors at most every PARTIAL_EVERY_SECONDS."""
        now = time.monotonic()
        partial = None
        if force or now - self._published >= PARTIAL_EVERY_SECONDS:
            partial, self._published = batch_to_dict(self.items, None, with_results=False), now
        await self._report(progress_of(self.items), partial)
