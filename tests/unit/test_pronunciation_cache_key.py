"""Which inputs make two pronunciation assessments the same cached result."""

from __future__ import annotations

from application.use_cases.pronunciation import assessment_key
from domain.engines import EngineInfo

AUDIO = b"RIFF....WAVEfmt "
ASSESSOR = EngineInfo("pronunciation", "local", "pocketsphinx+gbm", "2")
TINY = EngineInfo("transcription", "faster-whisper", "tiny.en", "1.1.1")
BASE = EngineInfo("transcription", "faster-whisper", "base", "1.1.1")


def test_unscripted_results_depend_on_the_recogniser_that_wrote_the_reference() -> None:
    assert assessment_key(AUDIO, None, ASSESSOR, TINY) != assessment_key(AUDIO, None, ASSESSOR, BASE)
    assert assessment_key(AUDIO, None, ASSESSOR, TINY) == assessment_key(AUDIO, None, ASSESSOR, TINY)


def test_scripted_results_depend_on_the_recogniser_that_checked_the_reading() -> None:
    """Whether a recording is a reading of its text at all is judged from what the recogniser heard."""
    text = "The quick brown fox."
    assert assessment_key(AUDIO, text, ASSESSOR, TINY) != assessment_key(AUDIO, text, ASSESSOR, BASE)
    assert assessment_key(AUDIO, text, ASSESSOR, None) != assessment_key(AUDIO, text, ASSESSOR, TINY)
    assert assessment_key(AUDIO, text, ASSESSOR, TINY) == assessment_key(AUDIO, text, ASSESSOR, TINY)


def test_audio_text_and_assessor_version_each_change_the_key() -> None:
    key = assessment_key(AUDIO, "Hello.", ASSESSOR, None)
    assert key.startswith("pronunciation:2:")
    assert key != assessment_key(AUDIO + b"x", "Hello.", ASSESSOR, None)
    assert key != assessment_key(AUDIO, "Hello there.", ASSESSOR, None)
    newer = EngineInfo("pronunciation", "local", "pocketsphinx+gbm", "3")
    assert key != assessment_key(AUDIO, "Hello.", newer, None)
