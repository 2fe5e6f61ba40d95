"""Hand-written health probes for use-case tests: each behaves like a component in a given state."""

from __future__ import annotations

import asyncio

from application.ports.health import ProbeFailed
from domain.health import ComponentState


class FixedProbe:
    def __init__(self, name: str, state: ComponentState = ComponentState.UP, required: bool = True) -> None:
        self.name = name
        self.kind = "fake"
        self.required = required
        self._state = state

    async def check(self) -> ComponentState:
        if self._state is ComponentState.DOWN:
            raise ProbeFailed(f"{self.name} refused the connection")
        return self._state


class HangingProbe:
    """A component that never answers (a half-open TCP connection, a stuck disk)."""

    def __init__(self, name: str, required: bool = True) -> None:
        self.name = name
        self.kind = "fake"
        self.required = required

    async def check(self) -> ComponentState:
        await asyncio.Event().wait()
        return ComponentState.UP


class CrashingProbe:
    def __init__(self, name: str) -> None:
        self.name = name
        self.kind = "fake"
        self.required = False

    async def check(self) -> ComponentState:
        raise ConnectionResetError("peer went away")
