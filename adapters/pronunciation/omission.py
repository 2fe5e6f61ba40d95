"""Was a reference word said? The aligner has to place every word somewhere; a logistic decision over what
the alignment and the phone loop show at that place says whether anything was said there.

The parameters are fitted on a labelled miscue set built from real recordings (words cut out of read
sentences, words spliced in, untouched readings: `englivo train pronunciation-omissions`) and stored as
JSON beside the regressors, so the decision is reproducible and readable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adapters.pronunciation.features import MIN_PHONE_FRAMES, PhoneView, squeezed
from adapters.pronunciation.measurement import WordSpan

PARAMETERS = Path(__file__).with_name("models") / "omission.json"

OMISSION_FEATURES = (
    "squeezed", "short_phone_share", "log_frames_per_phone", "loop_silence", "agreement", "gop", "gop_min",
    "gop_relative", "phones", "grammar_skipped", "short_share_and_skipped", "gop_relative_and_skipped",
)


def omission_features(span: WordSpan, views: list[PhoneView], utterance_gop: float, skipped: bool) -> list[float]:
    frames = max(1, sum(v.span.frames for v in views))
    gops = np.array([v.gop for v in views]) if views else np.full(1, -10.0)
    short_share = float(np.mean([v.span.frames <= MIN_PHONE_FRAMES for v in views])) if views else 1.0
    return [
        float(squeezed(span)),
        short_share,
        float(np.log(span.frames / max(1, len(span.phones)))),
        sum(v.loop_silence * v.span.frames for v in views) / frames,
        sum(v.agreement * v.span.frames for v in views) / frames,
        float(gops.mean()), float(gops.min()), float(gops.mean() - utterance_gop), float(len(views)), float(skipped),
        # Interactions a linear decision cannot form: a word squeezed to minimum length is often said quickly,
        # one the grammar would skip often said weakly, but a squeezed or badly matching word that the grammar
        # would also skip was nearly always cut (on the training speakers, "squeezed and skipped" alone: 41 %
        # of cut words at 1.4 % false omissions).
        short_share * float(skipped), float(gops.mean() - utterance_gop) * float(skipped),
    ]


_SQUEEZED, _SKIPPED = OMISSION_FEATURES.index("squeezed"), OMISSION_FEATURES.index("grammar_skipped")


def agreed_absent(features: list[float]) -> bool:
    """Two passes agree the word is not there: the aligner squeezed every phone to minimum length and the
    optional-word grammar leaves the word out. Omitted whatever the regression says: its linear score ranks
    these words among well-said ones it finds odd for other reasons (on the training speakers' miscue set:
    14 of 100 cut words, 6 of 1,327 well-said words, all 6 beside a cut or a spliced word)."""
    return features[_SQUEEZED] >= 1.0 and features[_SKIPPED] >= 1.0


@dataclass(frozen=True)
class LogisticOmission:
    """Logistic regression on standardised `OMISSION_FEATURES`: P(omitted), and the threshold from which a
    word is reported omitted."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probability(self, features: list[float]) -> float:
        z = (np.asarray(features) - np.asarray(self.mean)) / np.asarray(self.scale)
        return float(1.0 / (1.0 + np.exp(-(float(z @ np.asarray(self.weights)) + self.bias))))

    def to_json(self) -> dict[str, object]:
        return {"mean": list(self.mean), "scale": list(self.scale), "weights": list(self.weights),
                "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LogisticOmission:
        def floats(name: str) -> tuple[float, ...]:
            values = data[name]
            assert isinstance(values, list)
            return tuple(float(v) for v in values)

        bias, threshold = data["bias"], data["threshold"]
        assert isinstance(bias, float | int) and isinstance(threshold, float | int)
        return cls(floats("mean"), floats("scale"), floats("weights"), float(bias), float(threshold))


@dataclass(frozen=True)
class OmissionDecision:
    """Whether a reference word was left out, from the acoustics and, when a recogniser listened to the same
    recording, from whether it heard the word.

    - Heard by the recogniser: said (the aligner's doubts about it are doubts about the aligner).
    - Not heard: omitted when the aligner gave it no span, when `agreed_absent`, or when `unheard` (fitted on
      the words the recogniser did not hear) finds it likely; a learner's well-read word the recogniser
      misses is common (a quarter of them on the miscue set), so this model still weighs the acoustics.
    - No recognition: `acoustic` alone, with a threshold strict enough for the same false omission rate.
    """

    acoustic: LogisticOmission
    unheard: LogisticOmission | None = None

    def omitted(self, features: list[float] | None, heard: bool | None = None) -> bool:
        if heard:
            return False
        if features is None:  # the aligner found no place for the word
            return True
        model = self.unheard if heard is not None and self.unheard is not None else self.acoustic
        return agreed_absent(features) or model.probability(features) >= model.threshold

    def to_json(self) -> dict[str, object]:
        unheard = {"unheard": self.unheard.to_json()} if self.unheard is not None else {}
        return {"features": list(OMISSION_FEATURES), **self.acoustic.to_json(), **unheard}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> OmissionDecision:
        if data.get("features") != list(OMISSION_FEATURES):
            raise ValueError("omission parameters were fitted on other features: retrain them")
        unheard = data.get("unheard")
        return cls(LogisticOmission.from_json(data),
                   LogisticOmission.from_json(unheard) if isinstance(unheard, dict) else None)

    @classmethod
    def load(cls, path: Path = PARAMETERS) -> OmissionDecision:
        return cls.from_json(json.loads(path.read_text()))
