"""A pool of worker processes for CPU-bound batch work. Threads of one process share Python's GIL, which most
of a text's analysis holds, so texts side by side in threads ran 1.04-1.43x as fast as one after another on two
cores; a process each runs at full speed.

The processes start on first use (spawned: a fresh interpreter, no threads or locks inherited), each set up
once by `initializer` (which loads its own models), and live until `close`. A pool whose process died (out of
memory, a crash) is replaced on the next call."""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from application.ports.inference import InferenceTimeout

T = TypeVar("T")


class ProcessPool:
    def __init__(self, workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...],
                 timeout_seconds: float) -> None:
        """`timeout_seconds`: one call's deadline, its wait for a process included (the first call also waits
        for the processes to load their models)."""
        if workers < 1:
            raise ValueError("a process pool needs at least one worker")
        self._workers = workers
        self._initializer = initializer
        self._initargs = initargs
        self._timeout = timeout_seconds
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    @property
    def workers(self) -> int:
        return self._workers

    def _get(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    self._workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=self._initializer, initargs=self._initargs)
            return self._executor

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker process; both must be picklable (a module-level function)."""
        executor = self._get()
        try:
            return await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(executor, function, *args),
                                          self._timeout)
        except TimeoutError as exc:
            raise InferenceTimeout(f"a worker process did not finish within {self._timeout:g} s") from exc
        except BrokenProcessPool:
            with self._lock:
                if self._executor is executor:
                    self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)
            raise

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
