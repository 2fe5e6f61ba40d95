from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after_seconds: int = 0
    available: int | None = None  # on a refusal: how many calls the window would still take now


class RateLimiter(Protocol):
    """Counts `cost` calls of `identity` within `scope` ("api_key", "user") and says whether they may go on:
    all of them (and they are counted) or none (and nothing is counted)."""

    async def hit(self, scope: str, identity: str, cost: int = 1) -> RateDecision: ...
