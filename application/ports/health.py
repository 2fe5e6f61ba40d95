from __future__ import annotations

from typing import Protocol

from domain.health import ComponentState


class ProbeFailed(Exception):
    """A component answered, but not well enough to call it up."""


class HealthProbe(Protocol):
    """Checks one component. Returns its state (UP unless it says otherwise) or raises when it is down."""

    name: str
    kind: str
    required: bool

    async def check(self) -> ComponentState: ...
