"""The word model reads the mean and the lowest predicted score of its phones."""

from __future__ import annotations

import numpy as np

from adapters.pronunciation.features import phone_summary


def test_each_word_row_gets_the_mean_and_lowest_of_its_phones() -> None:
    predicted = np.array([2.0, 1.0, 1.5, 0.5, 2.0])
    word_of_phone = np.array([0, 0, 0, 2, 2])  # word row 1 has no phones

    summary = phone_summary(predicted, word_of_phone, 3)

    assert summary.tolist() == [[1.5, 1.0], [0.0, 0.0], [1.25, 0.5]]


def test_no_phones_gives_zeros() -> None:
    assert phone_summary(np.zeros(0), np.zeros(0, dtype=int), 2).tolist() == [[0.0, 0.0], [0.0, 0.0]]
