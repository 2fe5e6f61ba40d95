from domain.engines import EngineInfo
from domain.transcription.guard import SegmentEvidence, is_hallucination
from domain.transcription.result import build_transcript
from domain.transcription.transcript import Recognition, Segment, SpeakerTurn, Word

SPEECH = SegmentEvidence(
    avg_logprob=-0.3,
    no_speech_prob=0.05,
    compression_ratio=1.2,
    speech_ratio=0.9,
    mean_word_probability=0.8,
    seconds_per_word=0.3,
)
ENGINE = EngineInfo("transcription", "test", "tiny", "1")


def test_ordinary_speech_passes_the_guard() -> None:
    assert not is_hallucination(SPEECH)


def test_each_rule_of_the_guard_drops_a_segment() -> None:
    from dataclasses import replace

    assert is_hallucination(replace(SPEECH, compression_ratio=3.0))
    assert is_hallucination(replace(SPEECH, no_speech_prob=0.9, avg_logprob=-1.5))
    assert is_hallucination(replace(SPEECH, no_speech_prob=0.37, avg_logprob=-1.31))
    assert not is_hallucination(replace(SPEECH, no_speech_prob=0.9))
    assert not is_hallucination(replace(SPEECH, no_speech_prob=0.07, avg_logprob=-1.07))
    assert is_hallucination(replace(SPEECH, speech_ratio=0.05))
    assert is_hallucination(replace(SPEECH, mean_word_probability=0.1))
    # the "Thank you." tiny.en appended to a learner's reading: 2 words in 0.02 s
    assert is_hallucination(replace(SPEECH, no_speech_prob=0.53, avg_logprob=-0.98, seconds_per_word=0.01))


def test_build_transcript_marks_fillers_assigns_speakers_and_measures() -> None:
    recognition = Recognition(
        language="en",
        duration=4.0,
        words=(Word("Um,", 0.2, 0.5, 0.7), Word("yes.", 0.6, 0.9, 0.9), Word("No.", 2.6, 3.0, 0.9)),
        segments=(Segment(0, 0.2, 0.9, " Um, yes."), Segment(1, 2.6, 3.0, " No.")),
    )
    turns = [SpeakerTurn("A", 0.0, 1.0), SpeakerTurn("B", 2.5, 3.2)]
    t = build_transcript(recognition, ENGINE, turns, processing_time=0.12345)
    assert t.text == "Um, yes. No."
    assert [w.is_filler for w in t.words] == [True, False, False]
    assert [w.speaker for w in t.words] == ["A", "A", "B"]
    assert [s.speaker for s in t.segments] == ["A", "B"]
    assert t.speakers == ("A", "B")
    assert t.metrics.filler_count == 1
    assert t.metrics.pause_count == 0
    assert t.processing_time == 0.123
