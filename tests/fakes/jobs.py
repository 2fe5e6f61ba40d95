"""Hand-written job handlers that behave like capabilities in the ways the job machinery must survive:
slow with progress, transiently failing, rejecting their input, crashing."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from application.ports.jobs import ProgressReport, TransientJobError
from domain.errors import InvalidInput


class GatedHandler:
    """Reports half-way, then waits until the test opens the gate: the test decides when it finishes."""

    kind = "gated"

    def __init__(self) -> None:
        self.runs = 0
        self._gate: asyncio.Event | None = None
        self.halfway: asyncio.Event | None = None

    def gate(self) -> asyncio.Event:
        if self._gate is None:
            self._gate = asyncio.Event()
            self.halfway = asyncio.Event()
        return self._gate

    def validate(self, payload: dict[str, Any]) -> None:
        if not isinstance(payload.get("text"), str) or not payload["text"]:
            raise InvalidInput("text must be a non-empty string", field="text")

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        self.runs += 1
        gate = self.gate()
        await report(0.5)
        assert self.halfway is not None
        self.halfway.set()
        await gate.wait()
        await report(0.9)
        return {"echo": payload["text"], "words": len(payload["text"].split())}


class FlakyHandler:
    """Fails with a transient error for its first `failures` runs, then succeeds."""

    kind = "flaky"

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.runs = 0

    def validate(self, payload: dict[str, Any]) -> None:
        return None

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        self.runs += 1
        if self.runs <= self.failures:
            raise TransientJobError(f"provider timed out (run {self.runs})")
        return {"ok": True, "runs": self.runs}


class RejectingHandler:
    """Accepts the input at submission but finds it unusable when running (e.g. audio that will not decode)."""

    kind = "rejecting"

    def validate(self, payload: dict[str, Any]) -> None:
        return None

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        raise InvalidInput("the recording could not be decoded", field="audio")


class CrashingHandler:
    kind = "crashing"

    def validate(self, payload: dict[str, Any]) -> None:
        return None

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        raise RuntimeError("segfault in a model, say")


class SlowHandler:
    """Works for `seconds`, reporting progress as it goes: long enough to kill its worker mid-job."""

    kind = "slow"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def validate(self, payload: dict[str, Any]) -> None:
        return None

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        steps = 20
        for step in range(1, steps + 1):
            await asyncio.sleep(self.seconds / steps)
            await report(step / steps)
        return {"done": payload.get("label", ""), "pid": os.getpid()}
