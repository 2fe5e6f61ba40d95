"""Adds an LLM's errors and feedback to the offline analysis; any failure keeps the offline result."""

from __future__ import annotations

import time
from dataclasses import replace

from application.ports.analysis import LanguageModel, LanguageModelError, LlmErrorProposal, LlmRequest
from application.ports.metrics import OperationMetrics
from domain.analysis.analysis import TextAnalysis, to_learner_error
from domain.analysis.errors import Detection, ErrorType, LearnerError
from domain.analysis.feedback import Feedback
from domain.analysis.metrics import TextProfile, compute_metrics
from domain.cefr.scale import CefrLevel
from domain.engines import EngineInfo

LLM_CONFIDENCE = 0.6
MAX_QUOTE = 200


async def merge_llm_review(llm: LanguageModel, analysis: TextAnalysis, request: LlmRequest, profile: TextProfile,
                           metrics: OperationMetrics, level: CefrLevel | None) -> TextAnalysis:
    """The provider's review of `request.text` merged into the offline analysis (the offline one alone, with a
    warning, when the provider fails). Takes the request, not the use case's command: this module is a helper of
    AnalyzeText and does not import it back."""
    text = request.text
    started = time.perf_counter()
    try:
        answer = await llm.review(request)
    except LanguageModelError as exc:
        metrics.observe_operation("llm_review", llm.name, "failed", time.perf_counter() - started)
        warning = f"The {llm.name} provider could not be used ({exc}); this is the offline analysis."
        return replace(analysis, warnings=(*analysis.warnings, warning))
    metrics.observe_operation("llm_review", llm.name, "ok", time.perf_counter() - started)
    added = anchored_errors(text, answer.errors, analysis.errors, request.native_language, llm.name)
    errors = tuple(sorted((*analysis.errors, *added), key=lambda e: (e.start, e.end)))
    feedback = Feedback(
        strengths=answer.strengths or analysis.feedback.strengths,
        improvement_areas=answer.improvement_areas or analysis.feedback.improvement_areas,
        paragraph=answer.feedback or analysis.feedback.paragraph,
    )
    engine = EngineInfo("analysis", llm.name, answer.model or llm.model, "llm")
    return replace(analysis, errors=errors, metrics=compute_metrics(profile, errors), feedback=feedback,
                   engines=(*analysis.engines, engine))


def anchored_errors(text: str, proposals: tuple[LlmErrorProposal, ...], existing: tuple[LearnerError, ...],
                    native_language: str | None, provider: str) -> list[LearnerError]:
    """The LLM's errors placed where their quoted text really is; ones we cannot place, or that clash with
    an error already found, are dropped."""
    taken = [(e.start, e.end) for e in existing]
    placed: list[LearnerError] = []
    for proposal in proposals:
        span = _locate(text, proposal, taken)
        if span is None or not _valid(proposal):
            continue
        taken.append(span)
        detection = Detection(span[0], span[1], proposal.corrected, f"llm:{proposal.type.lower()}",
                              f"llm:{provider}", LLM_CONFIDENCE, message=proposal.explanation)
        error = to_learner_error(text, detection, native_language)
        placed.append(replace(error, type=ErrorType(proposal.type.lower()),
                              explanation=proposal.explanation or error.explanation))
    return placed


def _valid(proposal: LlmErrorProposal) -> bool:
    known = {t.value for t in ErrorType}
    return (0 < len(proposal.original) <= MAX_QUOTE and proposal.original != proposal.corrected
            and proposal.type.lower() in known)


def _locate(text: str, proposal: LlmErrorProposal, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    quote = proposal.original
    if not quote:
        return None
    hint = proposal.occurrence_hint
    candidates = []
    start = text.find(quote)
    while start != -1:
        candidates.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    if hint:
        context_start = text.find(hint)
        if context_start != -1:
            candidates.sort(key=lambda s: abs(s[0] - context_start))
    for span in candidates:
        if not any(span[0] < end and start < span[1] for start, end in taken):
            return span
    return None


