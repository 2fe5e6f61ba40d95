from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineInfo:
    """Which engine produced a result; stored with every result so trends never mix scales silently."""

    capability: str
    engine: str
    model: str
    version: str
