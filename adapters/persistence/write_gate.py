"""One writer at a time on SQLite, queued on the event loop.

SQLite lets one connection write at a time. Left to itself, every other writer polls the file lock
(`busy_timeout`), sleeping in growing steps, in no order: under load a writer can poll past its timeout
while others keep winning, and fails with `database is locked`. Here the writers of one process wait
their turn in order, on the event loop, and only the one whose turn it is touches the file lock; the busy
timeout is left to cover writers in other processes (several `serve` workers, the CLI).

A session takes the gate just before its first write statement and gives it back when its transaction
ends, so reads never wait and a write transaction holds it only from its first write to its commit."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

GATE_INFO_KEY = "englivo_write_gate"


class WriterTimeout(TimeoutError):
    """A writer waited longer than the gate's timeout for its turn."""


class WriteGate:
    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        # asyncio locks belong to one event loop; tests and CLI commands may use a Database from several
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()  # FIFO: writers go in the order they came
        return lock

    async def acquire(self) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation that arrives as
        # the lock is granted, which left a cancelled task running (and holding the lock) at shutdown
        try:
            async with asyncio.timeout(self.timeout_s):
                await self._lock().acquire()
        except TimeoutError:
            raise WriterTimeout(f"waited {self.timeout_s:g} s for the SQLite writer's turn") from None

    def release(self) -> None:
        self._lock().release()

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        await self.acquire()
        try:
            yield
        finally:
            self.release()


class GatedSession(AsyncSession):
    """An AsyncSession that takes the write gate in `info` (if any) before its first write statement and
    gives it back when the transaction commits, rolls back or the session closes."""

    _holds_gate = False

    async def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        gate: WriteGate | None = self.info.get(GATE_INFO_KEY)
        if gate is not None and not self._holds_gate and getattr(statement, "is_dml", False):
            await gate.acquire()
            self._holds_gate = True
        return await super().execute(statement, *args, **kwargs)

    async def commit(self) -> None:
        try:
            await super().commit()
        finally:
            self._release_gate()

    async def rollback(self) -> None:
        try:
            await super().rollback()
        finally:
            self._release_gate()

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            self._release_gate()

    def _release_gate(self) -> None:
        if self._holds_gate:
            self._holds_gate = False
            self.info[GATE_INFO_KEY].release()
