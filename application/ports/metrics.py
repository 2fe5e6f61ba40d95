from __future__ import annotations

from typing import Protocol


class OperationMetrics(Protocol):
    """Where use cases report the AI operations they run; adapters export them (Prometheus)."""

    def observe_operation(self, operation: str, engine: str, outcome: str, seconds: float) -> None: ...

    def count_cache(self, tier: str, outcome: str) -> None: ...
