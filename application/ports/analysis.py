"""Ports of text analysis: error detection, the lexical profile, an optional LLM and CEFR assessor."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from domain.analysis.errors import Detection
from domain.analysis.metrics import TextProfile
from domain.cefr.assessment import CefrAssessment
from domain.engines import EngineInfo

if TYPE_CHECKING:
    from domain.analysis.analysis import TextAnalysis


class AnalysisEngineError(Exception):
    """The offline analysis engine could not analyse the text (a model failed to load or timed out)."""


@dataclass(frozen=True)
class GrammarReport:
    detections: tuple[Detection, ...]
    warnings: tuple[str, ...] = ()


class GrammarChecker(Protocol):
    """Finds errors in a text; detections come typed (ERRANT code) where the checker can type them.
    Raises AnalysisEngineError when it cannot analyse the text at all."""

    engine: EngineInfo

    async def check(self, text: str) -> GrammarReport: ...

    def batch(self, texts: Sequence[str]) -> AbstractAsyncContextManager[None]:
        """Does the model work the texts share at once (a single parser pass over all of them); inside the
        block, checking and profiling those texts reuse it. The results are the same as without it."""
        ...


class TextProfiler(Protocol):
    """Counts words and sentences and looks each word up in the vocabulary lists and frequency data."""

    async def profile(self, text: str) -> TextProfile: ...


class LanguageModelError(Exception):
    """The LLM did not answer, timed out, or answered something we could not use."""


@dataclass(frozen=True)
class LlmRequest:
    text: str
    kind: str
    native_language: str | None = None
    context: str | None = None
    offline_errors: tuple[Detection, ...] = ()


@dataclass(frozen=True)
class LlmErrorProposal:
    """An error as the LLM states it: the quoted text, not offsets (an LLM's offsets are not trusted)."""

    original: str
    corrected: str
    type: str
    explanation: str
    occurrence_hint: str | None = None


@dataclass(frozen=True)
class LlmAnswer:
    errors: tuple[LlmErrorProposal, ...]
    feedback: str | None = None
    strengths: tuple[str, ...] = ()
    improvement_areas: tuple[str, ...] = ()
    model: str = ""
    tokens: dict[str, int] = field(default_factory=dict)


class LanguageModel(Protocol):
    """An optional LLM that adds errors and richer feedback. Raises LanguageModelError on any failure."""

    name: str
    model: str

    async def review(self, request: LlmRequest) -> LlmAnswer: ...


class CefrAssessor(Protocol):
    """The CEFR capability, plugged in by the composition root when it is switched on; its level tailors
    feedback and tasks, and the assessment is part of the analysis."""

    async def assess(self, text: str, kind: str) -> CefrAssessment: ...


class AnalysisWorkers(Protocol):
    """Other processes that each run the whole offline analysis of a text (`AnalyzeText.analyse_offline`):
    a batch's texts then use every core, which threads of one process cannot (most of the analysis holds
    Python's GIL). What comes back is what `execute` would have computed for the text."""

    @property
    def workers(self) -> int: ...

    async def analyse(self, text: str, kind: str, native_language: str | None) -> TextAnalysis: ...
