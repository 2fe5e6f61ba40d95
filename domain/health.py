"""Readiness of the engine's components and the rule that decides whether the engine is ready."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ComponentState(str, Enum):
    UP = "up"
    DOWN = "down"
    DEGRADED = "degraded"
    UNCONFIGURED = "unconfigured"


@dataclass(frozen=True)
class ComponentHealth:
    name: str
    kind: str
    state: ComponentState
    required: bool
    latency_ms: float | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Readiness:
    components: tuple[ComponentHealth, ...]

    @property
    def ready(self) -> bool:
        """Ready unless a required component is down; optional ones only degrade features."""
        return not any(c.required and c.state is ComponentState.DOWN for c in self.components)

    @property
    def down(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.components if c.state is ComponentState.DOWN)
