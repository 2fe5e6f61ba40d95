"""The hallucination guard: which recognised segments are invented text rather than speech.

Whisper writes fluent sentences over silence and noise ("Thank you.", "you"). A segment is dropped when
any of these holds; the thresholds are Whisper's own fallback rules plus a speech-evidence check:
- compression_ratio > 2.4: the text repeats itself (a decoding loop);
- no_speech_prob > 0.3 and avg_logprob < -1.0: the model doubts anybody spoke and is unsure of the words.
  Whisper's own rule uses 0.6; the "Thank you." it appends after learner speech scores 0.37-0.57 with
  log-probabilities of -1.2 to -1.6, while real learner segments stay under 0.25 (measured on
  speechocean762, see BENCHMARKS-transcription.md);
- speech_ratio < 0.2: the voice-activity detector found speech in under a fifth of the segment's time;
- mean word probability < 0.25: the model is guessing every word;
- under 0.06 s per word over the segment's span: nobody says a word in 60 ms; an invented tail such as
  "Thank you." is aligned into the last few hundredths of a second of speech.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SegmentEvidence:
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    speech_ratio: float
    mean_word_probability: float
    seconds_per_word: float


@dataclass(frozen=True)
class GuardThresholds:
    max_compression_ratio: float = 2.4
    no_speech_prob: float = 0.3
    low_logprob: float = -1.0
    min_speech_ratio: float = 0.2
    min_word_probability: float = 0.25
    min_seconds_per_word: float = 0.06


def is_hallucination(evidence: SegmentEvidence, limits: GuardThresholds = GuardThresholds()) -> bool:
    return (
        evidence.compression_ratio > limits.max_compression_ratio
        or (evidence.no_speech_prob > limits.no_speech_prob and evidence.avg_logprob < limits.low_logprob)
        or evidence.speech_ratio < limits.min_speech_ratio
        or evidence.mean_word_probability < limits.min_word_probability
        or evidence.seconds_per_word < limits.min_seconds_per_word
    )
