"""Worker processes that analyse the texts of a batch (`ENGLIVO_INFERENCE__BATCH_PROCESSES`): each builds the
engine's own container from the settings, loads the analysis models once, and runs
`AnalyzeText.analyse_offline`, the code `analyzeText` runs, for one text at a time."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from adapters.inference.processes import ProcessPool
from application.ports.analysis import AnalysisEngineError
from application.ports.inference import InferenceTimeout
from application.use_cases.analyze_text import AnalyzeText
from domain.analysis.analysis import TextAnalysis
from domain.analysis.codec import analysis_from_dict
from entrypoints.settings import Settings

WORKER_NICENESS = 10
"""Batch work queues behind interactive requests on the scheduler; across processes the OS decides, so the
workers run at a lower priority than the service's process and its interactive calls."""

_analyze: AnalyzeText | None = None
_loop: asyncio.AbstractEventLoop | None = None


def worker_settings(settings: Settings) -> Settings:
    """A worker computes, it serves nothing: one model call at a time (the process is the unit of
    parallelism), no cache (the parent caches what comes back), no pool of its own."""
    inference = settings.inference.model_copy(update={"concurrency": 1, "batch_processes": 0})
    return settings.model_copy(update={"inference": inference,
                                       "cache": settings.cache.model_copy(update={"enabled": False})})


def start_worker(settings: Settings) -> None:
    """The pool's initializer, in each new process."""
    from entrypoints.container import build_container, warm_up_models

    global _analyze, _loop
    os.nice(WORKER_NICENESS)
    container = build_container(settings)
    warm_up_models(container)
    _analyze = container.analyze_text()
    _loop = asyncio.new_event_loop()


def analyse_in_worker(text: str, kind: str, native_language: str | None) -> dict[str, Any]:
    assert _analyze is not None and _loop is not None, "start_worker has not run in this process"
    return _loop.run_until_complete(_analyze.analyse_offline(text, kind, native_language)).to_dict()


class ProcessAnalysisWorkers:
    """`AnalysisWorkers` on a pool of processes."""

    def __init__(self, pool: ProcessPool) -> None:
        self._pool = pool

    @property
    def workers(self) -> int:
        return self._pool.workers

    async def analyse(self, text: str, kind: str, native_language: str | None) -> TextAnalysis:
        try:
            return analysis_from_dict(await self._pool.run(analyse_in_worker, text, kind, native_language))
        except (InferenceTimeout, BrokenProcessPool) as exc:
            raise AnalysisEngineError(f"batch analysis worker: {exc or type(exc).__name__}") from exc

    def close(self) -> None:
        self._pool.close()


def analysis_workers(settings: Settings) -> ProcessAnalysisWorkers | None:
    processes = settings.inference.batch_processes
    if processes == 0 or not settings.features.analysis:
        return None
    pool = ProcessPool(processes, start_worker, (worker_settings(settings),),
                       settings.inference.timeout_seconds)
    return ProcessAnalysisWorkers(pool)
