"""AnalyzeText: errors, metrics, feedback and practice tasks for a learner's text; cached and stored."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from application.caching import cache_key, cached, canonical_json
from application.ports.analysis import (
    AnalysisWorkers,
    CefrAssessor,
    GrammarChecker,
    LanguageModel,
    LlmRequest,
    TextProfiler,
)
from application.ports.cache import Cache
from application.ports.clock import Clock
from application.ports.metrics import OperationMetrics
from application.ports.persistence import UnitOfWorkFactory
from application.progress_entries import entry_from_text_analysis
from application.use_cases.llm_review import merge_llm_review
from domain.analysis.analysis import TextAnalysis, TextKind, to_learner_error
from domain.analysis.codec import analysis_from_dict
from domain.analysis.errors import ErrorType
from domain.analysis.feedback import build_feedback, error_counts
from domain.analysis.findings import client_findings
from domain.analysis.metrics import compute_metrics
from domain.analysis.normalise import normalise
from domain.analysis.recall import NOT_MEASURED, MeasuredRecall
from domain.analysis.tasks import recommend
from domain.cefr.assessment import CefrAssessment
from domain.errors import InvalidInput, ProviderUnavailable, UserError
from domain.results import ResultKind, StoredResult

CACHE_PREFIX = "analysis"
MIN_ENGLISH_SHARE = 0.5
# A transcript's spelling, capitals and punctuation are the recogniser's, not the learner's.
WRITING_ONLY = frozenset({ErrorType.SPELLING, ErrorType.CAPITALISATION, ErrorType.PUNCTUATION})


ItemDone = Callable[[int, "TextAnalysis | UserError"], Awaitable[None]]
"""Called as each text of a batch is done, with its index and its analysis or error."""

# Bump when what counts as an error changes, so progress never compares across the change.
ANALYSIS_SCORING = "errors-1"


@dataclass(frozen=True)
class AnalyzeTextCommand:
    text: str
    user_id: str
    kind: TextKind = TextKind.WRITTEN
    session_id: str | None = None
    native_language: str | None = None
    context: str | None = None
    provider: str | None = None  # "offline", "gemini", "openai"; None: the configured default


MAX_CONTEXT_CHARS = 2_000  # the task the text answers; it goes into the LLM prompt and the cache key


@dataclass(frozen=True)
class AnalysisLimits:
    max_characters: int = 10_000
    ttl_seconds: int = 3_600
    engine_version: str = "0"
    batch_concurrency: int = 1  # texts of a batch analysed at once (the inference pool bounds it too)
    measured_recall: MeasuredRecall = NOT_MEASURED  # what the checker finds: which strengths feedback may claim


class AnalyzeText:
    def __init__(self, checker: GrammarChecker, profiler: TextProfiler, cache: Cache, uow: UnitOfWorkFactory,
                 clock: Clock, metrics: OperationMetrics, limits: AnalysisLimits,
                 llms: dict[str, LanguageModel] | None = None, default_provider: str | None = None,
                 cefr: CefrAssessor | None = None, workers: AnalysisWorkers | None = None) -> None:
        """`workers`: processes that analyse a batch's texts (offline ones) beside this one; None: here."""
        self._checker = checker
        self._profiler = profiler
        self._cache = cache
        self._uow = uow
        self._clock = clock
        self._metrics = metrics
        self._limits = limits
        self._llms = llms or {}
        self._default_provider = default_provider
        self._cefr = cefr
        self._workers = workers

    async def execute(self, command: AnalyzeTextCommand) -> TextAnalysis:
        return await self._execute(command, in_workers=False)

    async def _execute(self, command: AnalyzeTextCommand, in_workers: bool) -> TextAnalysis:
        """`in_workers` (batches only): an offline analysis is computed by the worker processes when there are
        any; an interactive call never waits behind a batch's queue there."""
        text = self.validate(command)
        provider = self._provider(command)
        inputs = {"text": text, "kind": command.kind.value, "l1": command.native_language,
                  "context": command.context, "provider": provider}
        key = cache_key(CACHE_PREFIX, self._limits.engine_version, inputs)
        workers = self._workers if in_workers and provider is None else None
        if workers is not None:
            compute = lambda: workers.analyse(text, command.kind.value, command.native_language)  # noqa: E731
        else:
            compute = lambda: self._analyse(text, command, provider)  # noqa: E731
        analysis = await cached(self._cache, key, self._limits.ttl_seconds, compute, _encode, _decode)
        await self._store(command, analysis, key)
        return analysis

    async def analyse_offline(self, text: str, kind: str, native_language: str | None) -> TextAnalysis:
        """The analysis `execute` computes for a text with no LLM provider, without cache or storage: what a
        worker process runs for `AnalysisWorkers`."""
        command = AnalyzeTextCommand(text, "worker", TextKind(kind), native_language=native_language)
        return await self._analyse(self.validate(command), command, None)

    async def execute_many(
        self, commands: Sequence[AnalyzeTextCommand], on_done: ItemDone | None = None
    ) -> list[TextAnalysis | UserError]:
        """Analyses several texts: in the worker processes when there are any (offline texts), else here with
        the model work they share done once (one parser pass over them all), `batch_concurrency` texts at a
        time; each text gets what `execute` would give it. A text that fails
        keeps its error; the others go on. `on_done` is called as each text is done, in no set order."""
        outcomes: list[TextAnalysis | UserError | None] = [None] * len(commands)
        valid: list[int] = []
        for index, command in enumerate(commands):
            try:
                self.validate(command)
                self._provider(command)
                valid.append(index)
            except UserError as error:
                outcomes[index] = error
        in_workers = self._workers is not None
        # with worker processes, two texts per worker are in flight: one runs while this process stores the other
        slots = asyncio.Semaphore(2 * self._workers.workers if self._workers is not None
                                  else max(1, self._limits.batch_concurrency))

        async def one(index: int, command: AnalyzeTextCommand) -> None:
            if outcomes[index] is None:
                async with slots:
                    try:
                        outcomes[index] = await self._execute(command, in_workers)
                    except UserError as error:
                        outcomes[index] = error
            if on_done is not None:
                await on_done(index, outcomes[index])  # type: ignore[arg-type]

        # in this process, one parser pass over the texts first; worker processes parse their own
        shared = contextlib.nullcontext() if in_workers else self._checker.batch([normalise(commands[i].text).text
                                                                                  for i in valid])
        async with shared:
            try:
                async with asyncio.TaskGroup() as tasks:  # a fault cancels the texts still running
                    for index, command in enumerate(commands):
                        tasks.create_task(one(index, command))
            except ExceptionGroup as group:
                raise group.exceptions[0] from None
        return [o for o in outcomes if o is not None]

    def validate(self, command: AnalyzeTextCommand) -> str:
        """Checks the command without analysing it (no I/O); raises InvalidInput."""
        if not command.user_id.strip():
            raise InvalidInput("userId must not be empty", field="learner.userId")
        text = normalise(command.text).text.strip()  # a text of zero-width spaces or NULs is empty
        if not text:
            raise InvalidInput("text must not be empty", field="text", code="empty_text")
        if len(command.text) > self._limits.max_characters:
            raise InvalidInput(f"text is longer than the limit of {self._limits.max_characters} characters",
                               field="text", code="text_too_long")
        if command.context is not None and len(command.context) > MAX_CONTEXT_CHARS:
            raise InvalidInput(f"context is {len(command.context)} characters long; at most {MAX_CONTEXT_CHARS} "
                               "(the task the text answers, not the text)", field="context")
        letters = [ch for ch in text if ch.isalpha()]
        if not letters or sum(ch.isascii() for ch in letters) / len(letters) < MIN_ENGLISH_SHARE:
            raise InvalidInput("only English text can be analysed", field="text", code="unsupported_language")
        return command.text

    def _provider(self, command: AnalyzeTextCommand) -> str | None:
        wanted = command.provider if command.provider is not None else self._default_provider
        if wanted in (None, "", "none", "offline", "local"):
            return None
        if wanted not in self._llms:
            raise ProviderUnavailable(f"the provider {wanted!r} is not configured", provider=wanted,
                                      field="provider")
        return wanted

    async def _analyse(self, original: str, command: AnalyzeTextCommand, provider: str | None) -> TextAnalysis:
        started = time.perf_counter()
        source = normalise(original)
        text = source.text
        # One parse for the three readers of the text, which then run at once: the grammar checker waits on
        # Harper (which releases the GIL) while the profile and the CEFR assessment compute.
        async with self._checker.batch([text]):
            report, profile, assessment = await asyncio.gather(
                self._checker.check(text), self._profiler.profile(text), self._assess_cefr(text, command))
        errors = [to_learner_error(text, d, command.native_language) for d in report.detections]
        if command.kind is TextKind.SPOKEN:
            errors = [e for e in errors if e.type not in WRITING_ONLY]
        metrics = compute_metrics(profile, errors)
        level = assessment.level if assessment is not None else None
        feedback = build_feedback(errors, metrics, level, command.native_language, self._limits.measured_recall)
        analysis = TextAnalysis(
            errors=tuple(errors), metrics=metrics, feedback=feedback,
            recommended_tasks=tuple(recommend(error_counts(errors), level)), warnings=report.warnings,
            engines=(self._checker.engine,), processing_time=0.0, cefr=assessment, vocabulary=profile.lemmas,
        )
        if provider is not None:
            request = LlmRequest(text=text, kind=command.kind.value, native_language=command.native_language,
                                 context=command.context)
            analysis = await merge_llm_review(self._llms[provider], analysis, request, profile, self._metrics, level)
        # Metrics and feedback above count every place; from here on errors are the client's findings.
        analysis = replace(analysis, errors=client_findings(analysis.errors, source))
        self._metrics.observe_operation("analyze_text", self._checker.engine.engine, "ok",
                                        time.perf_counter() - started)
        return replace(analysis, processing_time=round(time.perf_counter() - started, 4))

    async def _assess_cefr(self, text: str, command: AnalyzeTextCommand) -> CefrAssessment | None:
        return await self._cefr.assess(text, command.kind.value) if self._cefr is not None else None

    async def _store(self, command: AnalyzeTextCommand, analysis: TextAnalysis, key: str) -> None:
        result = StoredResult(
            id=uuid.uuid4().hex, user_id=command.user_id, kind=ResultKind.TEXT_ANALYSIS,
            created_at=self._clock.now(), engine_version=self._limits.engine_version,
            payload=analysis.to_dict(), session_id=command.session_id,
            score=None, input_hash=key.rsplit(":", 1)[-1],
        )
        async with self._uow() as uow:
            await uow.results.add(result)
            await uow.progress.record(entry_from_text_analysis(result, analysis, ANALYSIS_SCORING))
            await uow.commit()


def _encode(analysis: TextAnalysis) -> bytes:
    return canonical_json(analysis.to_dict())


def _decode(raw: bytes) -> TextAnalysis:
    data: dict[str, Any] = json.loads(raw)
    return analysis_from_dict(data)
