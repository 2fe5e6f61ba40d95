"""In-process pub/sub for one service process (the embedded default; Redis pub/sub replaces it with Celery)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

QUEUE_LIMIT = 256


class MemorySubscription:
    def __init__(self, bus: InMemoryEventBus, topic: str) -> None:
        self._bus = bus
        self._topic = topic
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_LIMIT)

    async def next(self, wait_seconds: float) -> dict[str, Any] | None:
        try:
            return await asyncio.wait_for(self.queue.get(), wait_seconds)
        except TimeoutError:
            return None

    async def close(self) -> None:
        self._bus.unsubscribe(self._topic, self)


class InMemoryEventBus:
    def __init__(self) -> None:
        self._subscriptions: dict[str, set[MemorySubscription]] = defaultdict(set)

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        for subscription in tuple(self._subscriptions.get(topic, ())):
            if subscription.queue.full():  # a stalled subscriber loses its oldest message, never blocks publishers
                subscription.queue.get_nowait()
            subscription.queue.put_nowait(message)

    async def subscribe(self, topic: str) -> MemorySubscription:
        subscription = MemorySubscription(self, topic)
        self._subscriptions[topic].add(subscription)
        return subscription

    def unsubscribe(self, topic: str, subscription: MemorySubscription) -> None:
        self._subscriptions[topic].discard(subscription)
        if not self._subscriptions[topic]:
            del self._subscriptions[topic]

    def subscriber_count(self, topic: str) -> int:
        return len(self._subscriptions.get(topic, ()))
