"""Steps of features/transcription/transcription.feature, against the real local engine."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from application.transcription_evaluation import word_error_rate
from application.use_cases.transcribe import TranscribeCommand
from domain.errors import AudioRejected
from domain.transcription.result import Transcript
from tests.support.transcription import DATA, TranscribeFactory, run_sync

scenarios("transcription/transcription.feature")

RECORDINGS = {"Are you going to have another drink?": "024020047.flac"}


@dataclass
class Attempt:
    audio: bytes = b""
    limits: dict[str, float] = field(default_factory=dict)
    transcript: Transcript | None = None
    refusal: AudioRejected | None = None


@pytest.fixture
def attempt() -> Attempt:
    return Attempt()


@given(parsers.parse('a learner\'s recording of the sentence "{sentence}"'))
def recording_of(attempt: Attempt, sentence: str) -> None:
    attempt.audio = (DATA / RECORDINGS[sentence]).read_bytes()


@given("a recording of silence")
def silent_recording(attempt: Attempt) -> None:
    attempt.audio = (DATA / "silence.ogg").read_bytes()


@given(parsers.parse("the largest accepted recording is {megabytes:g} MB"))
def size_limit(attempt: Attempt, megabytes: float) -> None:
    attempt.limits["max_bytes"] = int(megabytes * 1_000_000)


@when("the recording is transcribed")
def transcribe(attempt: Attempt, make_transcribe: TranscribeFactory) -> None:
    use_case = make_transcribe(**attempt.limits)
    try:
        attempt.transcript = run_sync(use_case.execute(TranscribeCommand(audio=attempt.audio)))
    except AudioRejected as refusal:
        attempt.refusal = refusal


def _transcript(attempt: Attempt) -> Transcript:
    assert attempt.refusal is None, attempt.refusal
    assert attempt.transcript is not None
    return attempt.transcript


@then(parsers.parse('the transcript reads close to "{sentence}"'))
def reads_close_to(attempt: Attempt, sentence: str) -> None:
    assert word_error_rate([sentence], [_transcript(attempt).text]) <= 0.25


@then("every word has a start and an end time within the recording")
def words_are_timed(attempt: Attempt) -> None:
    transcript = _transcript(attempt)
    assert transcript.words
    assert all(0 <= w.start < w.end <= transcript.duration for w in transcript.words)


@then("the speech rate is reported in words per minute")
def speech_rate(attempt: Attempt) -> None:
    assert _transcript(attempt).metrics.words_per_minute > 0


@then("the transcript has no words")
def no_words(attempt: Attempt) -> None:
    assert _transcript(attempt).words == ()


@then("the transcript text is empty")
def empty_text(attempt: Attempt) -> None:
    assert _transcript(attempt).text == ""


@then(parsers.parse('the recording is refused because it is "{code}"'))
def refused(attempt: Attempt, code: str) -> None:
    assert attempt.refusal is not None and attempt.transcript is None
    assert attempt.refusal.code == code
    assert attempt.refusal.message


@then(parsers.parse('the reason names the limit "{limit}"'))
def names_limit(attempt: Attempt, limit: str) -> None:
    assert attempt.refusal is not None and attempt.refusal.limit == limit
    assert limit in attempt.refusal.message
