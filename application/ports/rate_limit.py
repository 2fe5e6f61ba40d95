from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after_seconds: int = 0


class RateLimiter(Protocol):
    """Counts one call of `identity` within `scope` ("api_key", "user") and says whether it may go on."""

    async def hit(self, scope: str, identity: str) -> RateDecision: ...
