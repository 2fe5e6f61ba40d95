from __future__ import annotations

from typing import Protocol

from domain.cefr.assessment import CefrAssessment, TextKind


class CefrModelError(Exception):
    """The CEFR model could not assess a text: not loadable, or inference failed or timed out."""


class CefrModel(Protocol):
    """Places a text on the CEFR scale and explains why, in learner terms."""

    @property
    def version(self) -> str:
        """Changes whenever the model's output for the same text may change (keys the cache)."""
        ...

    async def assess(self, text: str, kind: TextKind) -> CefrAssessment: ...
