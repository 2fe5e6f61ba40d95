"""Azure Speech (optional extra `[azure]`): conversation transcription with word timings and speakers.

The SDK's detailed result JSON is mapped into our domain objects by pure functions (tested on the JSON
shapes Azure documents). Times in that JSON are 100-ns ticks; `SpeakerId` names the speaker of a phrase
("Guest-1", or "Unknown" when the service could not tell).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from application.ports.health import ProbeFailed
from application.ports.inference import InferenceRunner
from application.ports.speech import DecodedAudio, RecognitionOptions, SpeechEngineError
from domain.engines import EngineInfo
from domain.health import ComponentState
from domain.transcription.transcript import Recognition, Segment, SpeakerTurn, Word

TICKS_PER_SECOND = 10_000_000
UNKNOWN_SPEAKER = "Unknown"

Phrase = Mapping[str, Any]


def _seconds(ticks: int | str) -> float:
    return round(int(ticks) / TICKS_PER_SECOND, 3)


def _best(phrase: Phrase) -> Mapping[str, Any]:
    nbest = phrase.get("NBest") or []
    return max(nbest, key=lambda n: float(n.get("Confidence", 0.0))) if nbest else {}


def phrase_words(phrase: Phrase, speaker: str | None) -> list[Word]:
    best = _best(phrase)
    fallback = float(best.get("Confidence", 0.0))
    return [
        Word(
            text=str(w["Word"]),
            start=_seconds(w["Offset"]),
            end=_seconds(int(w["Offset"]) + int(w["Duration"])),
            confidence=float(w.get("Confidence", fallback)),
            speaker=speaker,
        )
        for w in best.get("Words", [])
    ]


def map_phrases(phrases: Sequence[Phrase], language: str, duration: float) -> Recognition:
    """Recognised phrases (RecognitionStatus "Success") -> words, one segment per phrase, speaker turns."""
    words: list[Word] = []
    segments: list[Segment] = []
    turns: list[SpeakerTurn] = []
    for phrase in sorted(phrases, key=lambda p: int(p.get("Offset", 0))):
        if phrase.get("RecognitionStatus", "Success") != "Success" or not phrase.get("NBest"):
            continue
        raw_speaker = phrase.get("SpeakerId")
        speaker = str(raw_speaker) if raw_speaker and raw_speaker != UNKNOWN_SPEAKER else None
        start = _seconds(phrase["Offset"])
        end = _seconds(int(phrase["Offset"]) + int(phrase["Duration"]))
        text = str(phrase.get("DisplayText") or _best(phrase).get("Display", ""))
        words.extend(phrase_words(phrase, speaker))
        segments.append(Segment(len(segments), start, end, text, speaker=speaker))
        if speaker is not None:
            turns.append(SpeakerTurn(speaker, start, end))
    return Recognition(language, duration, tuple(words), tuple(segments), tuple(turns))


class AzureSpeechRecognizer:
    """Needs `azure-cognitiveservices-speech`; runs the SDK's blocking session in the inference pool."""

    def __init__(self, key: str, region: str, runner: InferenceRunner, timeout_seconds: float = 300) -> None:
        self._key = key
        self._region = region
        self._runner = runner
        self._timeout = timeout_seconds

    @property
    def engine(self) -> EngineInfo:
        return EngineInfo("transcription", "azure", "conversation-transcription", "v1")

    async def recognize(self, audio: DecodedAudio, options: RecognitionOptions) -> Recognition:
        phrases = await self._runner.run(self._transcribe_sync, audio, options)
        return map_phrases(phrases, options.language, audio.duration)

    def _transcribe_sync(self, audio: DecodedAudio, options: RecognitionOptions) -> list[dict[str, Any]]:
        try:
            import azure.cognitiveservices.speech as speechsdk
        except ImportError as exc:
            raise SpeechEngineError("Azure Speech needs the [azure] extra") from exc
        config = speechsdk.SpeechConfig(subscription=self._key, region=self._region)
        config.speech_recognition_language = "en-US" if options.language == "en" else options.language
        config.output_format = speechsdk.OutputFormat.Detailed
        config.request_word_level_timestamps()
        stream_format = speechsdk.audio.AudioStreamFormat(samples_per_second=audio.sample_rate, channels=1)
        stream = speechsdk.audio.PushAudioInputStream(stream_format)
        transcriber = speechsdk.transcription.ConversationTranscriber(
            speech_config=config, audio_config=speechsdk.audio.AudioConfig(stream=stream)
        )
        phrases: list[dict[str, Any]] = []
        errors: list[str] = []
        done = threading.Event()
        transcriber.transcribed.connect(lambda evt: phrases.append(json.loads(evt.result.json)))

        def on_canceled(evt: Any) -> None:
            errors.append(str(evt.cancellation_details))
            done.set()

        transcriber.canceled.connect(on_canceled)
        transcriber.session_stopped.connect(lambda _: done.set())
        transcriber.start_transcribing_async().get()
        stream.write((audio.mono.clip(-1, 1) * 32767).astype("<i2").tobytes())
        stream.close()
        finished = done.wait(self._timeout)
        transcriber.stop_transcribing_async().get()
        if not finished or (errors and "EndOfStream" not in errors[0]):
            raise SpeechEngineError(f"Azure Speech failed: {errors[0] if errors else 'timed out'}")
        return phrases


class AzureSpeechProbe:
    """Readiness of the Azure option: UNCONFIGURED without a key, DOWN when the SDK is missing."""

    name = "provider.azure_speech"
    kind = "provider"
    required = False

    def __init__(self, key: str | None, region: str | None) -> None:
        self._configured = bool(key and region)

    async def check(self) -> ComponentState:
        if not self._configured:
            return ComponentState.UNCONFIGURED
        try:
            import azure.cognitiveservices.speech  # noqa: F401
        except ImportError as exc:
            raise ProbeFailed("key set but azure-cognitiveservices-speech is not installed") from exc
        return ComponentState.UP
