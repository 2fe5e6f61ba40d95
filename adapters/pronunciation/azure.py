"""Azure Pronunciation Assessment (optional extra `azure`): HundredMark, phoneme granularity, miscue and
prosody; its documented result JSON mapped onto our domain objects."""

from __future__ import annotations

import json
from typing import Any

from adapters.audio.wav import wav_bytes
from application.ports.speech import DecodedAudio
from domain.engines import EngineInfo
from domain.errors import ProviderUnavailable
from domain.pronunciation.assessment import (
    PhonemeScore,
    PronunciationAssessment,
    PronunciationScores,
    SpeechMetrics,
    WordErrorKind,
    WordScore,
    clamp_score,
    overall,
)
from domain.pronunciation.feedback import common_issues, improvement_tips, words_to_practise
from domain.pronunciation.phonemes import PHONEMES, to_ipa

_TICKS = 10_000_000  # Azure offsets and durations are in 100 ns ticks
_ERRORS = {"None": WordErrorKind.NONE, "Omission": WordErrorKind.OMISSION, "Insertion": WordErrorKind.INSERTION,
           "Mispronunciation": WordErrorKind.MISPRONUNCIATION}
_IPA_TO_ARPABET = {p.ipa: p.arpabet for p in PHONEMES.values()}
ENGINE = EngineInfo("pronunciation", "azure", "azure-pronunciation-assessment", "1")


def _arpabet(name: str) -> str:
    return name.upper() if name.upper() in PHONEMES else _IPA_TO_ARPABET.get(name, name)


def _phone(raw: dict[str, Any]) -> PhonemeScore:
    arpabet = _arpabet(str(raw.get("Phoneme", "")))
    score = float(raw.get("PronunciationAssessment", {}).get("AccuracyScore", 0.0))
    candidates = raw.get("PronunciationAssessment", {}).get("NBestPhonemes") or []
    heard = _arpabet(str(candidates[0]["Phoneme"])) if candidates else None
    start = raw.get("Offset", 0) / _TICKS
    return PhonemeScore(arpabet, to_ipa(arpabet), heard, clamp_score(score), round(start, 2),
                        round(start + raw.get("Duration", 0) / _TICKS, 2), confidence=1.0,
                        mispronounced=score < 60)


def _word(raw: dict[str, Any]) -> WordScore:
    assessment = raw.get("PronunciationAssessment", {})
    start = raw.get("Offset")
    return WordScore(
        text=str(raw.get("Word", "")), accuracy=clamp_score(float(assessment.get("AccuracyScore", 0.0))),
        error=_ERRORS.get(str(assessment.get("ErrorType", "None")), WordErrorKind.NONE),
        phonemes=tuple(_phone(p) for p in raw.get("Phonemes", [])),
        start=round(start / _TICKS, 2) if start is not None else None,
        end=round((start + raw.get("Duration", 0)) / _TICKS, 2) if start is not None else None,
    )


def assessment_from_azure(results: list[dict[str, Any]], reference_text: str) -> PronunciationAssessment:
    """One or more recognised phrases (continuous recognition) as one assessment."""
    words: list[WordScore] = []
    sums = {"AccuracyScore": 0.0, "FluencyScore": 0.0, "CompletenessScore": 0.0, "ProsodyScore": 0.0}
    weight_total, has_prosody = 0, True
    for result in results:
        best = result["NBest"][0]
        scores = best.get("PronunciationAssessment", {})
        phrase_words = [_word(w) for w in best.get("Words", [])]
        weight = max(1, len(phrase_words))
        has_prosody = has_prosody and "ProsodyScore" in scores
        for key in sums:
            sums[key] += float(scores.get(key, 0.0)) * weight
        weight_total += weight
        words.extend(phrase_words)
    mean = {k: v / max(1, weight_total) for k, v in sums.items()}
    prosody = mean["ProsodyScore"] if has_prosody else None
    scores = PronunciationScores(
        clamp_score(mean["AccuracyScore"]), clamp_score(mean["FluencyScore"]),
        clamp_score(mean["CompletenessScore"]), clamp_score(prosody or 0.0),
        overall(mean["AccuracyScore"], mean["FluencyScore"], mean["CompletenessScore"], prosody),
    )
    duration = max((w.end or 0.0 for w in words), default=0.0)
    spoken = [w for w in words if w.error is not WordErrorKind.OMISSION and w.start is not None]
    speaking = sum((w.end or 0.0) - (w.start or 0.0) for w in spoken)
    metrics = SpeechMetrics(duration, round(speaking, 2), round(60 * len(spoken) / speaking, 1) if speaking else 0.0,
                            0.0, 0, 0.0, 0.0, 0.0, 0.0)
    ordered = tuple(words)
    return PronunciationAssessment(
        reference_text, scores, ordered, metrics, ENGINE, tuple(common_issues(ordered)),
        tuple(improvement_tips(ordered)), tuple(words_to_practise(ordered)),
    )



class AzurePronunciationAssessor:
    engine = ENGINE

    def __init__(self, key: str | None, region: str | None) -> None:
        self._key = key
        self._region = region

    @property
    def loaded(self) -> bool:
        return self._key is not None

    def load(self) -> None:
        if not self._key or not self._region:
            raise ProviderUnavailable("Azure Speech needs a key and a region", provider="azure_speech")

    def measure(self, audio: DecodedAudio, reference_text: str) -> PronunciationAssessment:
        """Azure measures and scores in one call: its own miscue detection decides omissions."""
        return self.assess(audio, reference_text)

    def score(self, measured: object, heard: str | None = None) -> PronunciationAssessment:
        assert isinstance(measured, PronunciationAssessment)
        return measured

    def assess(self, audio: DecodedAudio, reference_text: str, heard: str | None = None) -> PronunciationAssessment:
        self.load()
        try:
            import azure.cognitiveservices.speech as speechsdk
        except ImportError:
            raise ProviderUnavailable("install the 'azure' extra for Azure Speech", provider="azure_speech") from None
        config = speechsdk.SpeechConfig(subscription=self._key, region=self._region)
        config.output_format = speechsdk.OutputFormat.Detailed
        stream = speechsdk.audio.PushAudioInputStream()
        stream.write(wav_bytes(audio))
        stream.close()
        recognizer = speechsdk.SpeechRecognizer(config, language="en-US",
                                                audio_config=speechsdk.audio.AudioConfig(stream=stream))
        assessment = speechsdk.PronunciationAssessmentConfig(
            reference_text=reference_text, grading_system=speechsdk.PronunciationAssessmentGradingSystem.HundredMark,
            granularity=speechsdk.PronunciationAssessmentGranularity.Phoneme, enable_miscue=True)
        assessment.enable_prosody_assessment()
        assessment.phoneme_alphabet = "IPA"
        assessment.nbest_phoneme_count = 1
        assessment.apply_to(recognizer)
        results: list[dict[str, Any]] = []
        recognizer.recognized.connect(lambda event: results.append(json.loads(event.result.json)))
        done: list[bool] = []
        recognizer.session_stopped.connect(lambda _: done.append(True))
        recognizer.canceled.connect(lambda _: done.append(True))
        recognizer.start_continuous_recognition()
        import time

        deadline = time.monotonic() + max(30.0, audio.duration * 3)
        while not done and time.monotonic() < deadline:
            time.sleep(0.05)
        recognizer.stop_continuous_recognition()
        results = [r for r in results if r.get("NBest")]
        if not results:
            raise ProviderUnavailable("Azure returned no recognition", provider="azure_speech")
        return assessment_from_azure(results, reference_text)
