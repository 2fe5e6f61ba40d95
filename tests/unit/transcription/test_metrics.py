import pytest

from domain.transcription.fillers import mark_fillers
from domain.transcription.metrics import PAUSE_THRESHOLD, Pause, compute_metrics, silent_pauses, speaking_time
from domain.transcription.transcript import Word


def words(*spec: tuple[str, float, float], speaker: str | None = None) -> list[Word]:
    return list(mark_fillers([Word(t, s, e, 0.8, speaker) for t, s, e in spec]))


SPEECH = words(
    ("I", 0.5, 0.7), ("like", 0.7, 1.0), ("um", 1.5, 1.9), ("reading", 2.0, 2.5), ("books", 2.5, 3.0)
)


def test_gaps_at_the_threshold_are_pauses_and_shorter_ones_are_not() -> None:
    ws = words(("a", 0.0, 0.5), ("b", 0.5 + PAUSE_THRESHOLD, 1.0), ("c", 1.2, 1.5))
    assert silent_pauses(ws) == [Pause(0.5, 0.5 + PAUSE_THRESHOLD)]


def test_a_change_of_speaker_is_not_a_pause() -> None:
    ws = words(("hi", 0.0, 0.5), speaker="A") + words(("hello", 2.0, 2.5), speaker="B")
    assert silent_pauses(ws) == []


def test_speaking_time_joins_words_across_short_gaps() -> None:
    assert speaking_time(SPEECH) == pytest.approx(0.5 + 1.5)


def test_metrics_of_a_hesitant_sentence() -> None:
    m = compute_metrics(SPEECH)
    assert m.pause_count == 1
    assert m.total_pause == pytest.approx(0.5)
    assert m.longest_pause == pytest.approx(0.5)
    assert m.mean_pause == pytest.approx(0.5)
    assert m.pauses == (Pause(1.0, 1.5), Pause(1.5, 1.9, filled=True))
    assert m.filler_count == 1
    assert m.filler_rate == pytest.approx(20.0)
    assert m.word_count == 4
    # I(1) like(1) reading(2) books(1) = 5 syllables over a 2.5 s span
    assert m.syllable_count == 5
    assert m.syllables_per_second == pytest.approx(2.0)
    assert m.words_per_minute == pytest.approx(96.0)
    # articulation: speaking time 2.0 s less the 0.4 s filler
    assert m.articulation_rate == pytest.approx(5 / 1.6, abs=1e-3)
    assert m.mean_confidence == pytest.approx(0.8)


def test_repetitions_count_as_fillers_but_not_as_filled_pauses() -> None:
    m = compute_metrics(words(("I", 0.0, 0.2), ("I", 0.3, 0.5), ("know", 0.5, 0.8)))
    assert m.filler_count == 1
    assert m.word_count == 2
    assert not any(p.filled for p in m.pauses)


def test_no_words_give_zero_metrics() -> None:
    m = compute_metrics([])
    assert m.pause_count == 0 and m.words_per_minute == 0 and m.pauses == ()
