"""Diarization error rate: the share of reference speech time attributed to the wrong speaker or missed,
plus hypothesised speech where there was none, under the best one-to-one mapping of speaker names.

Scored on 10 ms frames. A `collar` (seconds) around each reference boundary is not scored, as in
NIST's md-eval (0.25 s is usual), since nobody can say to the frame where a turn starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations

from domain.transcription.transcript import SpeakerTurn

FRAME = 0.01


@dataclass(frozen=True)
class DiarizationError:
    reference_seconds: float
    missed: float
    false_alarm: float
    confusion: float

    @property
    def rate(self) -> float:
        total = self.missed + self.false_alarm + self.confusion
        return total / self.reference_seconds if self.reference_seconds > 0 else 0.0


def _frames(turns: Sequence[SpeakerTurn], n: int) -> list[str | None]:
    frames: list[str | None] = [None] * n
    for t in turns:
        for i in range(max(0, round(t.start / FRAME)), min(n, round(t.end / FRAME))):
            frames[i] = t.speaker
    return frames


def diarization_error(
    reference: Sequence[SpeakerTurn], hypothesis: Sequence[SpeakerTurn], collar: float = 0.0
) -> DiarizationError:
    end = max((t.end for t in [*reference, *hypothesis]), default=0.0)
    n = round(end / FRAME) + 1
    ref, hyp = _frames(reference, n), _frames(hypothesis, n)
    scored = [True] * n
    for t in reference:
        for edge in (t.start, t.end):
            for i in range(max(0, round((edge - collar) / FRAME)), min(n, round((edge + collar) / FRAME))):
                scored[i] = False
    pairs = [(r, h) for r, h, keep in zip(ref, hyp, scored, strict=True) if keep]
    missed = sum(1 for r, h in pairs if r is not None and h is None)
    false_alarm = sum(1 for r, h in pairs if r is None and h is not None)
    both = [(r, h) for r, h in pairs if r is not None and h is not None]
    confusion = min(
        (sum(1 for r, h in both if mapping.get(h) != r) for mapping in _mappings(ref, hyp)), default=0
    )
    return DiarizationError(
        reference_seconds=sum(1 for r, _ in pairs if r is not None) * FRAME,
        missed=missed * FRAME,
        false_alarm=false_alarm * FRAME,
        confusion=confusion * FRAME,
    )


def _mappings(ref: Sequence[str | None], hyp: Sequence[str | None]) -> list[dict[str, str]]:
    """Every one-to-one naming of hypothesis speakers by reference speakers (few speakers: brute force)."""
    ref_names = sorted({r for r in ref if r is not None})
    hyp_names = sorted({h for h in hyp if h is not None})
    padded = ref_names + [f"\0unmatched{i}" for i in range(max(0, len(hyp_names) - len(ref_names)))]
    return [dict(zip(hyp_names, chosen, strict=False)) for chosen in permutations(padded, len(hyp_names))]
