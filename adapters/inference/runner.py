"""A bounded thread pool behind a semaphore with a timeout: model calls never block the event loop and
never pile up past `concurrency`."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from domain.errors import ProviderUnavailable

T = TypeVar("T")


class ThreadPoolRunner:
    def __init__(self, concurrency: int, timeout_seconds: float) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._concurrency = concurrency
        self._timeout = timeout_seconds
        self._semaphores: dict[int, asyncio.Semaphore] = {}  # one per event loop: tests run several

    async def run(self, function: Callable[[], T]) -> T:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._concurrency, thread_name_prefix="inference")
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.setdefault(id(loop), asyncio.Semaphore(self._concurrency))
        async with semaphore:
            future = loop.run_in_executor(self._executor, function)
            try:
                return await asyncio.wait_for(future, self._timeout)
            except TimeoutError:
                raise ProviderUnavailable(f"inference took longer than {self._timeout:g} s",
                                          provider="inference") from None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
