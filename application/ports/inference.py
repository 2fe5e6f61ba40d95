from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class InferenceRunner(Protocol):
    """Runs blocking model work off the event loop, a bounded number at a time, under a deadline."""

    async def run(self, function: Callable[[], T]) -> T: ...
