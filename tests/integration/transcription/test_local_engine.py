"""The real local recognisers (Moonshine base-en, the default, and Whisper tiny.en) and voice encoder on
real audio from tests/data; what both must do runs once per engine (`recognizer_engine`)."""

from __future__ import annotations

import json

import pytest

from application.transcription_evaluation import word_error_rate
from application.use_cases.transcribe import TranscribeCommand
from tests.support.transcription import DATA, TranscribeFactory

READINGS = [json.loads(line) for line in (DATA / "transcription.jsonl").read_text().splitlines()]


MODELS = {"moonshine": "moonshine-base-en", "whisper": "tiny.en"}


async def test_readings_are_transcribed_with_every_word_timed(
    make_transcribe: TranscribeFactory, recognizer_engine: str
) -> None:
    transcribe = make_transcribe(engine=recognizer_engine)
    hypotheses = []
    for item in READINGS:
        transcript = await transcribe.execute(TranscribeCommand(audio=(DATA / item["audio"]).read_bytes()))
        hypotheses.append(transcript.text)
        assert transcript.words, item["audio"]
        assert all(0 <= w.start < w.end <= transcript.duration for w in transcript.words)
        assert all(0 < w.confidence <= 1 for w in transcript.words)
        assert [w.start for w in transcript.words] == sorted(w.start for w in transcript.words)
        assert transcript.segments[0].start <= transcript.words[0].start
        assert transcript.metrics.words_per_minute > 0
        assert transcript.engine.model == MODELS[recognizer_engine]
    # clear adult readings: both get most words right (see BENCHMARKS.md)
    assert word_error_rate([r["text"] for r in READINGS], hypotheses) < 0.3


@pytest.mark.parametrize("name", ["silence.ogg", "noise.ogg"])
async def test_silence_and_noise_give_an_empty_transcript(
    make_transcribe: TranscribeFactory, recognizer_engine: str, name: str
) -> None:
    transcribe = make_transcribe(engine=recognizer_engine)
    transcript = await transcribe.execute(TranscribeCommand(audio=(DATA / name).read_bytes()))
    assert transcript.text == ""
    assert transcript.words == () and transcript.segments == ()
    assert transcript.metrics.word_count == 0
    assert transcript.duration == pytest.approx(3.0, abs=0.05)


@pytest.mark.parametrize("name", ["clip.wav", "clip.mp3", "clip.m4a", "clip.ogg", "clip.webm"])
async def test_every_accepted_container_is_decoded_and_transcribed(
    make_transcribe: TranscribeFactory, name: str
) -> None:
    (reading,) = (r for r in READINGS if r["audio"] == "024020047.flac")
    transcript = await make_transcribe().execute(TranscribeCommand(audio=(DATA / name).read_bytes()))
    # AAC and MP3 add encoder delay and pad to whole frames: up to ~0.15 s at 16 kHz
    assert transcript.duration == pytest.approx(2.65, abs=0.15)
    assert word_error_rate([reading["text"]], [transcript.text]) <= 0.5


async def test_stereo_recording_gets_one_speaker_per_channel(
    make_transcribe: TranscribeFactory, recognizer_engine: str
) -> None:
    transcript = await make_transcribe(engine=recognizer_engine).execute(
        TranscribeCommand(audio=(DATA / "stereo_two_speakers.flac").read_bytes(), diarize=True)
    )
    left_text, right_text = (
        text for _, text in json.loads((DATA / "two_speakers.json").read_text())["stereo_two_speakers.flac"]
    )
    assert transcript.speakers == ("S1", "S2")
    first = [w for w in transcript.words if w.speaker == "S1"]
    second = [w for w in transcript.words if w.speaker == "S2"]
    assert max(w.end for w in first) < min(w.start for w in second)
    assert word_error_rate([left_text], [" ".join(w.text for w in first)]) < 0.3
    assert word_error_rate([right_text], [" ".join(w.text for w in second)]) < 0.5
    assert all(s.speaker is not None for s in transcript.segments)


async def test_mono_recording_of_two_voices_gets_two_speakers(
    make_transcribe: TranscribeFactory, recognizer_engine: str
) -> None:
    transcript = await make_transcribe(engine=recognizer_engine).execute(
        TranscribeCommand(audio=(DATA / "mono_two_speakers.flac").read_bytes(), diarize=True)
    )
    first_text, second_text = (
        text for _, text in json.loads((DATA / "two_speakers.json").read_text())["mono_two_speakers.flac"]
    )
    assert len(transcript.speakers) == 2
    by_speaker = {s: " ".join(w.text for w in transcript.words if w.speaker == s) for s in transcript.speakers}
    assert word_error_rate([first_text], [by_speaker[transcript.speakers[0]]]) < 0.5
    assert word_error_rate([second_text], [by_speaker[transcript.speakers[1]]]) < 0.3


async def test_without_diarization_nobody_is_named(
    make_transcribe: TranscribeFactory, recognizer_engine: str
) -> None:
    transcript = await make_transcribe(engine=recognizer_engine).execute(
        TranscribeCommand(audio=(DATA / "mono_two_speakers.flac").read_bytes())
    )
    assert transcript.speakers == ()
    assert all(w.speaker is None for w in transcript.words)


async def test_verbatim_keeps_the_fillers_that_plain_transcription_drops(
    make_transcribe: TranscribeFactory, recognizer_engine: str
) -> None:
    audio = (DATA / "fillers.ogg").read_bytes()  # "Um, I think, uh, that the, er, the answer is, hmm, seven."
    transcribe = make_transcribe(engine=recognizer_engine)
    verbatim = await transcribe.execute(TranscribeCommand(audio=audio, verbatim=True))
    plain = await transcribe.execute(TranscribeCommand(audio=audio, verbatim=False))
    assert verbatim.metrics.filler_count > plain.metrics.filler_count
    assert verbatim.metrics.filler_count >= 3
    assert any(p.filled for p in verbatim.metrics.pauses)
