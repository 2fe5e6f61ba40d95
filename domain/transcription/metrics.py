"""Fluency measures computed from timed words.

Definitions (times in seconds):
- A silent pause is a gap of at least `PAUSE_THRESHOLD` (0.25 s, the usual cut-off in L2 fluency
  research, below which gaps are articulation, not hesitation) between two consecutive words of the
  same speaker. A gap where the speaker changes is turn-taking, not a pause.
- A filled pause is a filler word ("um", "uh", ...): `Pause(filled=True)` with the word's times.
- Speaking time is the time covered by speech runs: words joined across gaps shorter than the threshold.
- The span is from the first word's start to the last word's end; leading and trailing silence of the
  recording does not count against the learner.
- Words per minute and syllables per second (speech rate) count lexical words (not disfluencies) over
  the span; articulation rate counts the same syllables over speaking time less filled pauses.
- pause_count, total_pause, mean_pause and longest_pause describe silent pauses; `pauses` lists
  silent and filled ones in time order. filler_rate is disfluencies per 100 words said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from domain.transcription.fillers import is_filler_word
from domain.transcription.syllables import count_syllables
from domain.transcription.transcript import Word

PAUSE_THRESHOLD = 0.25


@dataclass(frozen=True)
class Pause:
    start: float
    end: float
    filled: bool = False

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class SpeechMetrics:
    speaking_time: float
    words_per_minute: float
    syllables_per_second: float
    articulation_rate: float
    pause_count: int
    total_pause: float
    mean_pause: float
    longest_pause: float
    pauses: tuple[Pause, ...]
    filler_count: int
    filler_rate: float
    mean_confidence: float
    word_count: int
    syllable_count: int

    @classmethod
    def empty(cls) -> SpeechMetrics:
        return cls(0.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, 0.0, (), 0, 0.0, 0.0, 0, 0)


def silent_pauses(words: Sequence[Word], threshold: float = PAUSE_THRESHOLD) -> list[Pause]:
    ordered = sorted(words, key=lambda w: w.start)
    return [
        Pause(a.end, b.start)
        for a, b in pairwise(ordered)
        if a.speaker == b.speaker and b.start - a.end >= threshold
    ]


def speaking_time(words: Sequence[Word], threshold: float = PAUSE_THRESHOLD) -> float:
    total, run_start, run_end = 0.0, None, 0.0
    for word in sorted(words, key=lambda w: w.start):
        if run_start is None:
            run_start, run_end = word.start, word.end
        elif word.start - run_end < threshold:
            run_end = max(run_end, word.end)
        else:
            total += run_end - run_start
            run_start, run_end = word.start, word.end
    if run_start is not None:
        total += run_end - run_start
    return total


def compute_metrics(words: Sequence[Word], threshold: float = PAUSE_THRESHOLD) -> SpeechMetrics:
    """Words must already carry `is_filler` (see fillers.mark_fillers)."""
    if not words:
        return SpeechMetrics.empty()
    silent = silent_pauses(words, threshold)
    filled = [Pause(w.start, w.end, filled=True) for w in words if is_filler_word(w.text)]
    lexical = [w for w in words if not w.is_filler]
    syllables = sum(count_syllables(w.text) for w in lexical)
    span = max(w.end for w in words) - min(w.start for w in words)
    talking = speaking_time(words, threshold)
    articulating = talking - sum(p.duration for p in filled)
    total_pause = sum(p.duration for p in silent)
    fillers = sum(1 for w in words if w.is_filler)
    return SpeechMetrics(
        speaking_time=round(talking, 3),
        words_per_minute=_ratio(len(lexical) * 60, span),
        syllables_per_second=_ratio(syllables, span),
        articulation_rate=_ratio(syllables, articulating),
        pause_count=len(silent),
        total_pause=round(total_pause, 3),
        mean_pause=_ratio(total_pause, len(silent)),
        longest_pause=round(max((p.duration for p in silent), default=0.0), 3),
        pauses=tuple(sorted(silent + filled, key=lambda p: p.start)),
        filler_count=fillers,
        filler_rate=_ratio(fillers * 100, len(words)),
        mean_confidence=_ratio(sum(w.confidence for w in words), len(words)),
        word_count=len(lexical),
        syllable_count=syllables,
    )


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 3) if denominator > 0 else 0.0
