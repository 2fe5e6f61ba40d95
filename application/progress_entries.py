"""What each capability's result contributes to a learner's progress (domain.progress.ProgressEntry)."""

from __future__ import annotations

from domain.analysis.analysis import TextAnalysis
from domain.engines import EngineInfo
from domain.progress.records import ErrorOccurrence, FluencyMeasures, ProgressEntry, PronunciationScores
from domain.pronunciation.assessment import PronunciationAssessment, WordErrorKind
from domain.results import StoredResult
from domain.transcription.result import Transcript

# Bump when the pronunciation scores or the speech metrics change meaning, so trends never mix them.
PRONUNCIATION_SCORING = "pronunciation-1"
FLUENCY_SCORING = "fluency-1"


def entry_from_text_analysis(result: StoredResult, analysis: TextAnalysis, scoring_version: str) -> ProgressEntry:
    """Hints are left out: a pattern the engine is unsure of should not drive a learner's recommendations.
    A finding at several places counts at each of them."""
    errors = tuple(
        ErrorOccurrence(type=e.type.value, rule=e.rule or None, example=f"{e.original_text} → {e.corrected_text}")
        for e in analysis.errors if not e.is_hint for _ in range(e.occurrence_count)
    )
    assessment = analysis.cefr
    return ProgressEntry(
        result_id=result.id, user_id=result.user_id, session_id=result.session_id or result.id,
        kind=result.kind, at=result.created_at, engine_version=result.engine_version,
        scoring_version=scoring_version, words=analysis.metrics.words,
        cefr_score=assessment.score if assessment else None, cefr_level=assessment.level if assessment else None,
        errors=errors, lemmas=analysis.vocabulary,
    )


def entry_from_pronunciation(
    result: StoredResult, assessment: PronunciationAssessment, scoring_version: str = PRONUNCIATION_SCORING
) -> ProgressEntry:
    """The scores, each expected phoneme's mean accuracy, and the fluency the alignment measured. Omitted
    words count as words not said; their phonemes were not heard, so they do not rate a sound."""
    said = [w for w in assessment.words if w.error is not WordErrorKind.OMISSION]
    heard: dict[str, list[float]] = {}
    for word in said:
        for phoneme in word.phonemes:
            heard.setdefault(phoneme.expected, []).append(phoneme.accuracy)
    scores, metrics = assessment.scores, assessment.metrics
    return ProgressEntry(
        result_id=result.id, user_id=result.user_id, session_id=result.session_id or result.id,
        kind=result.kind, at=result.created_at, engine_version=result.engine_version,
        scoring_version=scoring_version, words=len(said),
        pronunciation=PronunciationScores(
            pronunciation=scores.pronunciation, accuracy=scores.accuracy, fluency=scores.fluency,
            completeness=scores.completeness, prosody=scores.prosody,
            phonemes=tuple((p, round(sum(a) / len(a), 2)) for p, a in sorted(heard.items())),
        ),
        fluency=FluencyMeasures(
            words_per_minute=metrics.words_per_minute, pause_count=metrics.pause_count,
            mean_pause=metrics.mean_pause, filler_rate=None, speaking_time=metrics.speaking_time,
        ),
    )


def entry_from_transcription(
    result: StoredResult, transcript: Transcript, scoring_version: str = FLUENCY_SCORING
) -> ProgressEntry:
    """The speech metrics of a transcript: rate, silent pauses and disfluencies (domain.transcription.metrics)."""
    metrics = transcript.metrics
    return ProgressEntry(
        result_id=result.id, user_id=result.user_id, session_id=result.session_id or result.id,
        kind=result.kind, at=result.created_at, engine_version=result.engine_version,
        scoring_version=scoring_version, words=metrics.word_count,
        fluency=FluencyMeasures(
            words_per_minute=metrics.words_per_minute, pause_count=metrics.pause_count,
            mean_pause=metrics.mean_pause, filler_rate=metrics.filler_rate, speaking_time=metrics.speaking_time,
        ),
    )


def engine_version_of(engine: EngineInfo) -> str:
    """One string per engine, model and version: results of different models are on different scales."""
    return ":".join(part for part in (engine.engine, engine.model, engine.version) if part)
