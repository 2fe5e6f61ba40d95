"""Blocking inference off the event loop: a bounded thread pool behind a semaphore, under a deadline."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from application.ports.speech import SpeechEngineError

T = TypeVar("T")


class InferenceTimeout(SpeechEngineError):
    pass


class InferenceRunner:
    """At most `concurrency` calls run at once; a caller waits for a slot and the run within one deadline.

    A timed-out call stops waiting but its thread finishes (CPython cannot kill it); its slot is freed
    only then, so the pool never runs more than `concurrency` models at once.
    """

    def __init__(self, concurrency: int, timeout_seconds: float, name: str = "inference") -> None:
        self._concurrency = concurrency
        self._timeout = timeout_seconds
        self._name = name
        self._slots = asyncio.Semaphore(concurrency)
        self._executor: ThreadPoolExecutor | None = None

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._concurrency, thread_name_prefix=self._name)
        return self._executor

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        deadline = time.monotonic() + self._timeout
        try:
            await asyncio.wait_for(self._slots.acquire(), self._timeout)
        except TimeoutError:
            raise InferenceTimeout(f"no free inference slot within {self._timeout:g}s") from None
        future = asyncio.get_running_loop().run_in_executor(self._pool(), fn, *args)
        future.add_done_callback(lambda _: self._slots.release())
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise InferenceTimeout(f"inference took longer than {self._timeout:g}s") from None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
