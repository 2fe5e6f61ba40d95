"""Redis pub/sub, so watchers on any service process hear about jobs that any Celery worker runs."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import redis.asyncio as aioredis
import structlog
from redis.asyncio.client import PubSub

log = structlog.get_logger(__name__)
CHANNEL_PREFIX = "englivo:events:"


class RedisSubscription:
    def __init__(self, pubsub: PubSub) -> None:
        self._pubsub = pubsub

    async def next(self, wait_seconds: float) -> dict[str, Any] | None:
        try:
            message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=wait_seconds)
        except (aioredis.RedisError, OSError, RuntimeError) as exc:  # RuntimeError: never subscribed
            log.warning("event_subscription_failed", error=f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(wait_seconds)  # the watcher falls back to re-reading the job
            return None
        if message is None:
            return None
        try:
            decoded: dict[str, Any] = json.loads(message["data"])
        except (ValueError, TypeError):
            return None
        return decoded

    async def close(self) -> None:
        with contextlib.suppress(aioredis.RedisError, OSError):
            await self._pubsub.aclose()  # type: ignore[no-untyped-call]


class RedisEventBus:
    def __init__(self, client: aioredis.Redis) -> None:
        self._client = client

    async def publish(self, topic: str, message: dict[str, Any]) -> None:
        try:
            await self._client.publish(CHANNEL_PREFIX + topic, json.dumps(message))
        except (aioredis.RedisError, OSError) as exc:  # best effort: watchers poll the job as well
            log.warning("event_publish_failed", topic=topic, error=f"{type(exc).__name__}: {exc}")

    async def subscribe(self, topic: str) -> RedisSubscription:
        pubsub = self._client.pubsub()
        try:
            await pubsub.subscribe(CHANNEL_PREFIX + topic)
        except (aioredis.RedisError, OSError) as exc:
            log.warning("event_subscribe_failed", topic=topic, error=f"{type(exc).__name__}: {exc}")
        return RedisSubscription(pubsub)
