"""A bounded thread pool for blocking inference, so the event loop never blocks on a model."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


class InferenceTimeout(Exception):
    """An inference call did not finish within its deadline."""


class InferencePool:
    """At most `concurrency` calls run at once (more wait their turn); each has `timeout_seconds`."""

    def __init__(self, concurrency: int, timeout_seconds: float, name: str = "inference") -> None:
        self._concurrency = concurrency
        self._timeout = timeout_seconds
        self._name = name
        self._executor: ThreadPoolExecutor | None = None

    def _pool(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._concurrency, thread_name_prefix=self._name)
        return self._executor

    async def run(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool(), functools.partial(function, *args, **kwargs))
        try:
            return await asyncio.wait_for(future, self._timeout)
        except TimeoutError as exc:
            raise InferenceTimeout(f"{self._name} took longer than {self._timeout:g} s") from exc

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
