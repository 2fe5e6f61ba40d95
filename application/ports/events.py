from __future__ import annotations

from typing import Any, Protocol


class Subscription(Protocol):
    async def next(self, wait_seconds: float) -> dict[str, Any] | None:
        """The next message, or None when none came within `wait_seconds`."""
        ...

    async def close(self) -> None: ...


class EventBus(Protocol):
    """Fire-and-forget fan-out of small JSON-able messages by topic (job progress, mostly). Delivery is
    best effort: a watcher re-reads the source of truth when no message comes."""

    async def publish(self, topic: str, message: dict[str, Any]) -> None: ...

    async def subscribe(self, topic: str) -> Subscription:
        """Listening once this returns: nothing published afterwards is missed (barring outages)."""
        ...
