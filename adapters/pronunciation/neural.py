"""Neural phone evidence: Moonshine base-en's encoder states, pooled over each phone the aligner placed, and a
linear discriminant that names the phone from them.

The GOP features come from PocketSphinx's 2008-era GMM acoustic model; the recogniser the engine already
ships has a far better ear. Its encoder gives a 416-dimensional state every 24 ms; the states over a phone's
aligned frames are averaged, and a linear discriminant analysis (LDA, one shared covariance: a Gaussian
classifier, as GOP is, in a space where phones separate) trained on the aligned phones of the training
readings gives each phone's log-posterior. A phone said well is one the classifier names; a phone said as
another is one it does not. The classifier learns from the phone labels the alignment gives, not from the
judges' scores, so it adds no second model to overfit them. Feature-level speaker-fold CV on speechocean762
(2,500 readings, BENCHMARKS.md, issue 19.4): phone PCC 0.470 -> 0.537, word 0.495 -> 0.565, sentence
accuracy 0.746 -> 0.786.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from adapters.pronunciation.features import phone_id
from adapters.pronunciation.measurement import FRAME_SECONDS, Measurement, PhoneSpan
from adapters.speech.moonshine import at_level
from adapters.speech.moonshine_models import MoonshineModelManager
from domain.pronunciation.phonemes import ARPABET

# The encoder's convolutions (kernel 127 stride 64, 7 / 3, 3 / 2) give one state per 384 samples, and the
# first state's receptive field (895 samples) is centred 28 ms into the audio.
STATE_SECONDS = 384 / 16000
FIRST_STATE_CENTRE = 0.028
WINDOW_SECONDS = 30.0  # longer stretches are encoded in windows (one encoder call reads at most 64 s)
STATE_SIZE = 416
FLOOR = -30.0  # log-posteriors below this say the same thing: not this phone
SHRINKAGE = 0.01  # of the LDA's shared covariance towards its diagonal; 416 dimensions, ~90,000 phones
EVIDENCE = ("neural_own", "neural_margin", "neural_rank")

States = npt.NDArray[np.float32]


class PhoneStateEncoder:
    """Encoder states of a recording (the recogniser's model, loaded once and shared)."""

    def __init__(self, manager: MoonshineModelManager) -> None:
        self._manager = manager

    def load(self) -> None:
        self._manager.get()

    def states(self, samples: npt.NDArray[np.float32]) -> States:
        """(states, 416) for `samples` at 16 kHz, levelled as the recogniser levels them."""
        encoder = self._manager.get().encoder
        levelled = at_level(np.asarray(samples, np.float32))
        per_window = int(WINDOW_SECONDS / STATE_SECONDS)
        window = per_window * 384
        parts = [encoder.run(None, {"input_values": levelled[None, start:start + window]})[0][0]
                 for start in range(0, len(levelled), window) if len(levelled[start:start + window]) >= 1024]
        # a window yields a few states fewer than its length allows: pad to keep the next window's in place
        parts = [np.pad(p, ((0, max(0, per_window - len(p))), (0, 0)), mode="edge") if k < len(parts) - 1 else p
                 for k, p in enumerate(parts)]
        return np.concatenate(parts).astype(np.float32) if parts else np.zeros((0, STATE_SIZE), np.float32)

    def pooled(self, samples: npt.NDArray[np.float32], measurement: Measurement) -> States:
        return pooled_states(self.states(samples), measurement)


def measured_phones(measurement: Measurement) -> list[PhoneSpan]:
    """The aligned phones in the order `phone_views` reads them: by word, then within the word."""
    return [p for word in measurement.words for p in word.phones]


def pooled_states(states: States, measurement: Measurement) -> States:
    """One row per aligned phone: the mean of the encoder states centred inside its frames (at least one)."""
    phones = measured_phones(measurement)
    pooled = np.zeros((len(phones), states.shape[1] if states.ndim == 2 else STATE_SIZE), np.float32)
    if not len(states):
        return pooled
    for row, phone in enumerate(phones):
        first = _state_at(phone.start * FRAME_SECONDS, len(states))
        last = _state_at((phone.start + phone.frames) * FRAME_SECONDS, len(states))
        pooled[row] = states[first:max(last, first + 1)].mean(axis=0)
    return pooled


def _state_at(seconds: float, count: int) -> int:
    return min(max(int(np.floor((seconds - FIRST_STATE_CENTRE) / STATE_SECONDS + 0.5)), 0), count - 1 if count else 0)


def _phone_ids(phones: Sequence[PhoneSpan]) -> npt.NDArray[np.int64]:
    return np.array([int(phone_id(p.phone)) for p in phones], dtype=np.int64)


def fit_phone_classifier(pooled: Sequence[States], measured: Sequence[Measurement]) -> Any:
    """The LDA over every aligned phone of these readings, labelled with the phone the alignment expected."""
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    x = np.concatenate([p for p in pooled if len(p)]) if any(len(p) for p in pooled) else np.zeros((0, STATE_SIZE))
    y = np.concatenate([_phone_ids(measured_phones(m)) for m in measured])
    counts = np.bincount(y, minlength=len(ARPABET) + 1)
    known = (y < len(ARPABET)) & (counts[y] >= 2)  # a class needs two samples for a covariance
    classifier = LinearDiscriminantAnalysis(solver="lsqr", shrinkage=SHRINKAGE).fit(x[known], y[known])
    del classifier.covariance_  # 416 x 416, needed to fit, not to predict: 1.4 MB less in the model file
    return classifier


def phone_evidence(classifier: Any, pooled: States, measurement: Measurement) -> npt.NDArray[np.float64]:
    """Per aligned phone (`EVIDENCE`): the log-posterior of the expected phone, its margin over the likeliest
    other phone, and how many phones are likelier."""
    phones = measured_phones(measurement)
    if not phones:
        return np.zeros((0, len(EVIDENCE)))
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # a few dozen rows: threads cost more than they save, and spin against decoders
        log_posterior = np.maximum(classifier.predict_log_proba(pooled), FLOOR)
    column = {int(c): k for k, c in enumerate(classifier.classes_)}
    columns = np.array([column.get(int(i), -1) for i in _phone_ids(phones)])  # -1: a phone it never learnt
    rows, known = np.arange(len(phones)), columns >= 0
    own = np.where(known, log_posterior[rows, np.maximum(columns, 0)], FLOOR)
    others = log_posterior.copy()
    others[rows[known], columns[known]] = -np.inf
    rank = (log_posterior > own[:, None]).sum(axis=1)
    return np.column_stack([own, own - others.max(axis=1), rank]).astype(np.float64)


def evidence_out_of_fold(pooled: Sequence[States], measured: Sequence[Measurement], fold_of_reading: Sequence[int],
                         folds: int) -> list[npt.NDArray[np.float64]]:
    """Each reading's evidence from a classifier that never saw its speaker (`fold_of_reading`: the speaker
    fold of each reading), as a new learner's evidence will be: the scoring models learn from these."""
    evidence: list[npt.NDArray[np.float64]] = [np.zeros((0, len(EVIDENCE)))] * len(measured)
    fold_array = np.asarray(fold_of_reading)
    for fold in range(folds):
        held = [int(i) for i in np.flatnonzero(fold_array == fold)]
        train = [int(i) for i in np.flatnonzero(fold_array != fold)]
        if not held:
            continue
        if not train:  # one speaker in all (a tiny corpus): its own classifier, the only one there is
            train = held
        classifier = fit_phone_classifier([pooled[i] for i in train], [measured[i] for i in train])
        for i in held:
            evidence[i] = phone_evidence(classifier, pooled[i], measured[i])
    return evidence
