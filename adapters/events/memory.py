"""In-process pub/sub for one service process (the embedded default; Redis pub/sub replaces it with Celery)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

QUEUE_LIMIT = 256


class InMemoryEventBus:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        for queue in tuple(self._queues.get(topic, ())):
            if queue.full():  # a stalled subscriber loses its oldest message, never blocks publishers
                queue.get_nowait()
            queue.put_nowait(message)

    def subscribe(self, topic: str) -> AsyncIterator[dict[str, Any]]:
        """Registered at call time, so nothing published after this call is missed."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)
        self._queues[topic].add(queue)
        return self._drain(topic, queue)

    async def _drain(self, topic: str, queue: asyncio.Queue[dict[str, Any]]) -> AsyncIterator[dict[str, Any]]:
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues[topic].discard(queue)
            if not self._queues[topic]:
                del self._queues[topic]

    def subscriber_count(self, topic: str) -> int:
        return len(self._queues.get(topic, ()))
