"""Who said each word, from diarization turns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from domain.transcription.transcript import Segment, SpeakerTurn, Word


def speaker_of(start: float, end: float, turns: Sequence[SpeakerTurn]) -> str | None:
    """The speaker whose turns overlap the interval most; failing any overlap, the nearest turn's."""
    if not turns:
        return None
    overlap: dict[str, float] = defaultdict(float)
    for turn in turns:
        shared = min(end, turn.end) - max(start, turn.start)
        if shared > 0:
            overlap[turn.speaker] += shared
    if overlap:
        return max(overlap.items(), key=lambda item: item[1])[0]
    middle = (start + end) / 2
    return min(turns, key=lambda t: min(abs(t.start - middle), abs(t.end - middle))).speaker


def assign_speakers(words: Sequence[Word], turns: Sequence[SpeakerTurn]) -> tuple[Word, ...]:
    return tuple(replace(w, speaker=speaker_of(w.start, w.end, turns)) for w in words)


def label_segments(segments: Sequence[Segment], words: Sequence[Word]) -> tuple[Segment, ...]:
    """A segment's speaker is the one who spoke most of its words' time."""
    labelled = []
    for segment in segments:
        spoken: dict[str, float] = defaultdict(float)
        for w in words:
            if w.speaker is not None and segment.start <= (w.start + w.end) / 2 <= segment.end:
                spoken[w.speaker] += max(w.duration, 1e-3)
        speaker = max(spoken.items(), key=lambda item: item[1])[0] if spoken else None
        labelled.append(replace(segment, speaker=speaker))
    return tuple(labelled)


def speakers_in_order(words: Sequence[Word]) -> tuple[str, ...]:
    """Speakers in the order they first speak."""
    seen: dict[str, None] = {}
    for w in sorted(words, key=lambda w: w.start):
        if w.speaker is not None:
            seen.setdefault(w.speaker, None)
    return tuple(seen)
