"""The one inference scheduler: a fixed set of worker threads, sized to the machine's cores, runs every
model call of every capability, taken from one priority queue (interactive calls before job and batch
work, first come first served within a priority), each under one deadline."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from application.ports.inference import InferenceTimeout, Priority, current_priority

T = TypeVar("T")
_STOP = len(Priority)  # sorts after every real priority


@dataclass(frozen=True)
class _Work:
    future: Future[Any]
    function: Callable[..., Any]
    args: tuple[object, ...]


class InferenceScheduler:
    """At most `workers` model calls run at once, whoever asks. A caller waits for a worker and the run
    within one deadline; a call that times out (or whose caller is cancelled) before a worker takes it never
    runs. A call that times out while running finishes in its thread (CPython cannot stop it) and holds its
    worker until then, so no more than `workers` models ever run at once."""

    def __init__(self, workers: int, timeout_seconds: float, name: str = "inference") -> None:
        if workers < 1:
            raise ValueError("an inference scheduler needs at least one worker")
        self._workers = workers
        self._timeout = timeout_seconds
        self._name = name
        self._queue: queue.PriorityQueue[tuple[int, int, _Work | None]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    @property
    def workers(self) -> int:
        return self._workers

    async def run(self, function: Callable[..., T], *args: object, priority: Priority | None = None) -> T:
        """`function(*args)` on a worker; `priority` defaults to the caller's `current_priority()`."""
        loop = asyncio.get_running_loop()
        call: Future[T] = Future()
        waiter = _Waiter(call, loop)
        call.add_done_callback(lambda done: _deliver(loop, waiter, done))
        self._submit(priority if priority is not None else current_priority(), _Work(call, function, args))
        deadline = loop.call_later(self._timeout, waiter.expire,
                                   f"{self._name} call did not finish within {self._timeout:g} s")
        try:
            return await waiter
        finally:
            deadline.cancel()

    def _submit(self, priority: Priority, work: _Work) -> None:
        with self._lock:
            while len(self._threads) < self._workers:
                thread = threading.Thread(target=_serve, args=(self._queue,), daemon=True,
                                          name=f"{self._name}-{len(self._threads)}")
                thread.start()
                self._threads.append(thread)
            self._queue.put((int(priority), next(self._order), work))

    def close(self) -> None:
        """Cancels the calls still queued and stops the workers once their current call is done."""
        with self._lock:  # the stopping workers keep the old queue; later calls start new ones on a new queue
            threads, self._threads = self._threads, []
            stopping, self._queue = self._queue, queue.PriorityQueue()
        while True:
            try:
                _, _, work = stopping.get_nowait()
            except queue.Empty:
                break
            if work is not None:
                work.future.cancel()
        for _ in threads:
            stopping.put((_STOP, next(self._order), None))


def _serve(jobs: queue.PriorityQueue[tuple[int, int, _Work | None]]) -> None:
    while True:
        _, _, work = jobs.get()
        if work is None:
            return
        if not work.future.set_running_or_notify_cancel():
            continue  # its caller stopped waiting before its turn came
        try:
            result = work.function(*work.args)
        except BaseException as exc:  # handed to the caller, who decides what it means
            work.future.set_exception(exc)
        else:
            work.future.set_result(result)


class _Waiter(asyncio.Future[T]):
    """The caller's side of one call. The caller's task awaits it directly, so cancelling that task cancels
    the queued call in the same step (asyncio's own chaining would only do so a few loop turns later, by
    which time a worker may already have taken it)."""

    def __init__(self, call: Future[T], loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(loop=loop)
        self._call = call

    def cancel(self, msg: Any = None) -> bool:
        self._call.cancel()  # still queued: it never runs; already running: it finishes unheard
        return super().cancel(msg=msg)

    def expire(self, message: str) -> None:
        if not self.done():
            self._call.cancel()  # still queued: it never runs
            self.set_exception(InferenceTimeout(message))


def _deliver(loop: asyncio.AbstractEventLoop, waiter: _Waiter[Any], done: Future[Any]) -> None:
    """Runs in whichever thread settled the call; hands the outcome to the caller's loop."""
    with contextlib.suppress(RuntimeError):  # the caller's loop has closed: nobody is left to tell
        loop.call_soon_threadsafe(_settle, waiter, done)


def _settle(waiter: _Waiter[Any], done: Future[Any]) -> None:
    if waiter.done():  # the caller timed out or was cancelled first
        return
    if done.cancelled():  # the scheduler closed before a worker took it
        waiter.cancel()
    elif (error := done.exception()) is not None:
        waiter.set_exception(error)
    else:
        waiter.set_result(done.result())
