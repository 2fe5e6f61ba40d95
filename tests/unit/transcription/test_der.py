import pytest

from domain.transcription.der import diarization_error
from domain.transcription.transcript import SpeakerTurn as T

REFERENCE = [T("alice", 0.0, 2.0), T("bob", 3.0, 5.0)]


def test_perfect_hypothesis_under_other_names_scores_zero() -> None:
    error = diarization_error(REFERENCE, [T("S2", 0.0, 2.0), T("S1", 3.0, 5.0)])
    assert error.rate == 0.0
    assert error.reference_seconds == pytest.approx(4.0)


def test_missed_false_alarm_and_confusion_add_up() -> None:
    hypothesis = [T("S1", 0.0, 1.5), T("S1", 2.5, 3.0), T("S2", 3.0, 4.0), T("S1", 4.0, 5.0)]
    error = diarization_error(REFERENCE, hypothesis)
    assert error.missed == pytest.approx(0.5)
    assert error.false_alarm == pytest.approx(0.5)
    assert error.confusion == pytest.approx(1.0)
    assert error.rate == pytest.approx(2.0 / 4.0)


def test_a_collar_forgives_boundaries() -> None:
    error = diarization_error(REFERENCE, [T("S1", 0.2, 2.2), T("S2", 3.2, 5.0)], collar=0.25)
    assert error.rate == 0.0


def test_one_speaker_for_everything_confuses_the_other() -> None:
    error = diarization_error(REFERENCE, [T("S1", 0.0, 5.0)])
    assert error.confusion == pytest.approx(2.0)
    assert error.false_alarm == pytest.approx(1.0)
