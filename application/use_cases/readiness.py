from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from application.ports.health import HealthProbe, ProbeFailed
from domain.health import ComponentHealth, ComponentState, Readiness


@dataclass(frozen=True)
class CheckReadinessCommand:
    timeout_seconds: float = 2.0


class CheckReadiness:
    """Probes every component at once, each under the same deadline, and reports what answered."""

    def __init__(self, probes: Sequence[HealthProbe]) -> None:
        self._probes = tuple(probes)

    async def execute(self, command: CheckReadinessCommand) -> Readiness:
        results = await asyncio.gather(*(self._probe(p, command.timeout_seconds) for p in self._probes))
        return Readiness(components=tuple(results))

    @staticmethod
    async def _probe(probe: HealthProbe, deadline: float) -> ComponentHealth:
        started = time.perf_counter()
        detail: str | None = None
        try:
            state = await asyncio.wait_for(probe.check(), deadline)
        except TimeoutError:
            state, detail = ComponentState.DOWN, f"no answer within {deadline:g}s"
        except ProbeFailed as exc:
            state, detail = ComponentState.DOWN, str(exc)
        except Exception as exc:  # a probe reports any failure of its component as "down"
            state, detail = ComponentState.DOWN, f"{type(exc).__name__}: {exc}"
        latency = round((time.perf_counter() - started) * 1000, 2)
        return ComponentHealth(probe.name, probe.kind, state, probe.required, latency, detail)
