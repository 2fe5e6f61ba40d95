from domain.transcription.speakers import assign_speakers, label_segments, speaker_of, speakers_in_order
from domain.transcription.transcript import Segment, SpeakerTurn, Word

TURNS = [SpeakerTurn("S1", 0.0, 2.0), SpeakerTurn("S2", 2.5, 5.0), SpeakerTurn("S1", 5.5, 7.0)]


def test_a_word_belongs_to_the_turn_it_overlaps_most() -> None:
    assert speaker_of(1.8, 2.6, TURNS) == "S1"
    assert speaker_of(1.9, 2.9, TURNS) == "S2"


def test_a_word_outside_every_turn_goes_to_the_nearest() -> None:
    assert speaker_of(5.3, 5.4, TURNS) == "S1"
    assert speaker_of(2.1, 2.2, TURNS) == "S1"
    assert speaker_of(2.4, 2.45, TURNS) == "S2"


def test_without_turns_nobody_is_assigned() -> None:
    assert speaker_of(0, 1, []) is None


def test_words_and_segments_get_speakers_in_order_of_appearance() -> None:
    words = assign_speakers(
        [Word("hello", 3.0, 3.5, 0.9), Word("hi", 0.5, 1.0, 0.9), Word("bye", 6.0, 6.5, 0.9)], TURNS
    )
    assert [w.speaker for w in words] == ["S2", "S1", "S1"]
    assert speakers_in_order(words) == ("S1", "S2")
    segments = label_segments([Segment(0, 0.0, 1.2, "hi"), Segment(1, 2.8, 3.9, "hello")], words)
    assert [s.speaker for s in segments] == ["S1", "S2"]
