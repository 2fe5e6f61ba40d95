"""What each capability's result records for progress, built from hand-made results."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from application.progress_entries import (
    FLUENCY_SCORING,
    PRONUNCIATION_SCORING,
    engine_version_of,
    entry_from_pronunciation,
    entry_from_transcription,
)
from domain.analysis.analysis import TextAnalysis
from domain.analysis.codec import analysis_from_dict
from domain.analysis.feedback import Feedback
from domain.analysis.metrics import TextMetrics
from domain.cefr.scale import CefrLevel
from domain.engines import EngineInfo
from domain.progress.records import LemmaUse
from domain.pronunciation.assessment import (
    PhonemeScore,
    PronunciationAssessment,
    PronunciationScores,
    SpeechMetrics,
    WordErrorKind,
    WordScore,
)
from domain.results import ResultKind, StoredResult
from domain.transcription.result import build_transcript
from domain.transcription.transcript import Recognition, Segment, Word

AT = datetime(2026, 4, 1, 10, tzinfo=UTC)
ENGINE = EngineInfo("pronunciation", "local", "gop", "7")


def stored(kind: ResultKind, session: str | None = "s1") -> StoredResult:
    return StoredResult(id="r1", user_id="ana", kind=kind, created_at=AT, engine_version="local:7", payload={},
                        session_id=session)


def phoneme(expected: str, accuracy: float) -> PhonemeScore:
    return PhonemeScore(expected, expected.lower(), None, accuracy, 0.0, 0.1, 0.9)


def test_a_pronunciation_records_its_scores_phonemes_and_fluency() -> None:
    words = (
        WordScore("think", 60, WordErrorKind.MISPRONUNCIATION, (phoneme("TH", 40), phoneme("IH", 90))),
        WordScore("this", 80, WordErrorKind.NONE, (phoneme("DH", 70), phoneme("IH", 70))),
        WordScore("thing", 0, WordErrorKind.OMISSION, (phoneme("TH", 0),)),  # not said: rates no sound
    )
    assessment = PronunciationAssessment(
        "think this thing", PronunciationScores(70, 75, 66.7, 80, 72), words,
        SpeechMetrics(3.0, 2.0, 96.0, 4.0, 2, 0.4, 0.5, 6.0, 10.0), ENGINE,
    )
    entry = entry_from_pronunciation(stored(ResultKind.PRONUNCIATION), assessment)
    assert (entry.user_id, entry.session_id, entry.kind, entry.at) == ("ana", "s1", ResultKind.PRONUNCIATION, AT)
    assert entry.scale == f"local:7/{PRONUNCIATION_SCORING}" and entry.words == 2
    assert entry.pronunciation is not None and entry.pronunciation.pronunciation == 72
    assert dict(entry.pronunciation.phonemes) == {"TH": 40, "IH": 80, "DH": 70}
    assert entry.fluency is not None and entry.fluency.words_per_minute == 96 and entry.fluency.pause_count == 2
    assert entry.fluency.filler_rate is None  # the aligner does not detect fillers


def test_a_transcription_records_rate_pauses_and_fillers() -> None:
    spoken = [("so", 0.0, 0.3), ("um", 0.4, 0.7), ("I", 1.5, 1.6), ("went", 1.7, 2.0), ("home", 2.1, 2.5)]
    recognition = Recognition("en", 3.0, tuple(Word(t, s, e, 0.9) for t, s, e in spoken),
                              (Segment(0, 0.0, 2.5, "so um I went home"),))
    transcript = build_transcript(recognition, EngineInfo("transcription", "faster-whisper", "tiny.en", "1"))
    entry = entry_from_transcription(stored(ResultKind.TRANSCRIPTION, session=None), transcript)
    assert entry.session_id == "r1"  # a result outside any session is a session of its own
    assert entry.scoring_version == FLUENCY_SCORING and entry.words == 4
    assert entry.fluency is not None and entry.pronunciation is None
    assert entry.fluency.pause_count == 1 and entry.fluency.mean_pause == pytest.approx(0.8)
    assert entry.fluency.filler_rate == 20.0 and entry.fluency.words_per_minute == pytest.approx(96.0)
    assert engine_version_of(transcript.engine) == "faster-whisper:tiny.en:1"


def test_an_analysis_keeps_its_vocabulary_through_its_json_form() -> None:
    analysis = TextAnalysis(
        errors=(), metrics=TextMetrics(3, 1, 3.0, 4.0, 0.0, (), 0.0, 0.0, (), 80.0),
        feedback=Feedback((), (), ""), recommended_tasks=(), warnings=(), engines=(ENGINE,), processing_time=0.1,
        vocabulary=(LemmaUse("journey", CefrLevel.B1), LemmaUse("zyzzyva", None)),
    )
    assert analysis_from_dict(analysis.to_dict()).vocabulary == analysis.vocabulary
    older = {k: v for k, v in analysis.to_dict().items() if k != "vocabulary"}  # cached before lemmas existed
    assert analysis_from_dict(older).vocabulary == ()
