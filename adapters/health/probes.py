"""Probes for components that have no adapter of their own to ask."""

from __future__ import annotations

from domain.health import ComponentState


class ProviderProbe:
    """An optional cloud provider: UNCONFIGURED without credentials. With them it reports UP without a
    network call (a paid API is not pinged on every readiness check); the detail says so."""

    required = False
    kind = "provider"

    def __init__(self, name: str, configured: bool) -> None:
        self.name = name
        self._configured = configured

    async def check(self) -> ComponentState:
        return ComponentState.UP if self._configured else ComponentState.UNCONFIGURED


class InProcessQueueProbe:
    """The embedded job runner lives in this process: if this code runs, so does the queue."""

    name = "queue"
    kind = "in-process"
    required = True

    async def check(self) -> ComponentState:
        return ComponentState.UP


class UnconfiguredProbe:
    required = False

    def __init__(self, name: str, kind: str) -> None:
        self.name = name
        self.kind = kind

    async def check(self) -> ComponentState:
        return ComponentState.UNCONFIGURED


class BrokerProbe:
    """The Celery broker. Optional for readiness: while it is down, jobs wait in the database (the sweep queues
    them once it is back) and synchronous calls go on, so the engine should keep taking traffic."""

    name = "queue"
    kind = "celery"
    required = False

    def __init__(self, broker_url: str) -> None:
        self._broker_url = broker_url

    async def check(self) -> ComponentState:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self._broker_url, socket_connect_timeout=1, socket_timeout=1)
        try:
            await client.ping()
        finally:
            await client.aclose()
        return ComponentState.UP
