"""Neural phone evidence: encoder states pooled over the aligned phones, named by a phone classifier."""

from __future__ import annotations

import numpy as np

from adapters.pronunciation.measurement import Measurement, PhoneSpan, WordSpan
from adapters.pronunciation.neural import evidence_out_of_fold, fit_phone_classifier, phone_evidence, pooled_states


def _reading(*phones: tuple[str, int, int]) -> Measurement:
    spans = tuple(PhoneSpan(p, start, frames, -1.0) for p, start, frames in phones)
    word = WordSpan(0, "WORD", spans[0].start, sum(p.frames for p in spans), spans)
    return Measurement(200, (word,), (), (), {})


def test_each_phone_gets_the_mean_of_the_states_centred_inside_it() -> None:
    states = np.arange(100, dtype=np.float32)[:, None] * np.ones((1, 4), np.float32)  # state k holds k
    reading = _reading(("AA", 50, 10), ("B", 60, 1))  # 0.50-0.60 s, then 0.60-0.61 s

    pooled = pooled_states(states, reading)

    # states centred at 0.028 + 0.024 k: k = 20..23 fall in [0.50, 0.60); the 10 ms phone still gets one
    assert pooled[:, 0].tolist() == [21.5, 24.0]


def _classifier_data(rng: np.random.Generator) -> tuple[list[np.ndarray], list[Measurement]]:
    centres = {"AA": np.array([3.0, 0.0]), "B": np.array([0.0, 3.0]), "S": np.array([-3.0, -3.0])}
    pooled, readings = [], []
    for _ in range(40):
        names = ["AA", "B", "S"]
        pooled.append(np.stack([centres[n] + rng.normal(0, 0.5, 2) for n in names]).astype(np.float32))
        readings.append(_reading(*((n, 10 * k, 10) for k, n in enumerate(names))))
    return pooled, readings


def test_a_phone_said_as_another_gets_a_low_posterior_and_is_not_named() -> None:
    pooled, readings = _classifier_data(np.random.default_rng(0))
    classifier = fit_phone_classifier(pooled, readings)
    said_as_expected = np.array([[3.0, 0.0], [0.0, 3.0]], np.float32)
    said_as_s = np.array([[-3.0, -3.0], [0.0, 3.0]], np.float32)  # the /AA/ sounds like /S/

    good = phone_evidence(classifier, said_as_expected, _reading(("AA", 0, 10), ("B", 10, 10)))
    bad = phone_evidence(classifier, said_as_s, _reading(("AA", 0, 10), ("B", 10, 10)))

    assert good[:, 2].tolist() == [0.0, 0.0] and good[0, 1] > 0  # named, with a margin over the others
    assert bad[0, 0] < good[0, 0] - 5 and bad[0, 1] < 0 and bad[0, 2] >= 1
    assert bad[1].tolist() == good[1].tolist()


def test_out_of_fold_evidence_covers_every_reading_and_one_speaker_still_gets_some() -> None:
    pooled, readings = _classifier_data(np.random.default_rng(1))

    by_fold = evidence_out_of_fold(pooled, readings, [k % 5 for k in range(len(readings))], 5)
    alone = evidence_out_of_fold(pooled, readings, [0] * len(readings), 5)

    assert all(e.shape == (3, 3) for e in by_fold + alone)
