"""What the acoustic passes measure in one stretch of audio: plain data, cached as JSON for training."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

FRAME_SECONDS = 0.01


@dataclass(frozen=True)
class PhoneSpan:
    phone: str
    start: int  # frames of 10 ms
    frames: int
    score: float  # nats; for aligned phones: log-likelihood minus the best senone's, summed over frames


@dataclass(frozen=True)
class WordSpan:
    index: int  # position in the reference
    text: str
    start: int
    frames: int
    phones: tuple[PhoneSpan, ...]
    g2p: bool = False  # pronunciation came from the G2P model, not the dictionary


@dataclass(frozen=True)
class Measurement:
    frames: int
    words: tuple[WordSpan, ...]
    silences: tuple[PhoneSpan, ...]
    loop: tuple[PhoneSpan, ...]  # free phone-loop decoding of the same audio
    prosody: dict[str, float]
    aligned: bool = True  # False when the aligner failed and words carry no spans
    skipped: tuple[int, ...] = ()  # reference positions a grammar in which every word is optional left out

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Measurement:
        def phones(items: list[dict[str, Any]]) -> tuple[PhoneSpan, ...]:
            return tuple(PhoneSpan(**p) for p in items)

        words = tuple(WordSpan(**{**w, "phones": phones(w["phones"])}) for w in data["words"])
        return cls(data["frames"], words, phones(data["silences"]), phones(data["loop"]), data["prosody"],
                   data.get("aligned", True), tuple(data.get("skipped", ())))
