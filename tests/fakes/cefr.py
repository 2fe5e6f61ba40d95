from __future__ import annotations

from domain.cefr.assessment import CefrAssessment, Evidence, LevelProbability, TextKind
from domain.cefr.scale import LEVELS, CefrLevel


class FakeCefrModel:
    """The CefrModel port: answers B1 for everything and records the texts it was asked about."""

    def __init__(self, version: str = "fake-1") -> None:
        self._version = version
        self.calls: list[tuple[str, TextKind]] = []

    @property
    def version(self) -> str:
        return self._version

    async def assess(self, text: str, kind: TextKind) -> CefrAssessment:
        self.calls.append((text, kind))
        return CefrAssessment(
            level=CefrLevel.B1,
            score=52.0,
            confidence=0.6,
            range=(CefrLevel.A2, CefrLevel.B1),
            probabilities=tuple(LevelProbability(lv, 0.6 if lv is CefrLevel.B1 else 0.08) for lv in LEVELS),
            strengths=(Evidence("vocabulary range", "Uses B1 vocabulary.", (text.split()[0],)),),
            weaknesses=(),
            next_level_requirements=(Evidence("B2 grammar", "Use the passive.", ()),),
            features=(),
            model_version=self._version,
            kind=kind,
            word_count=len(text.split()),
        )
