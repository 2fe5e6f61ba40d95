"""An English syllable estimate from spelling: vowel groups with the usual corrections.

Good to about one syllable in ten on running text, which is what speech-rate measures need; it is
not a dictionary. Digits are read digit by digit ("42" -> "four two"), as learners' numbers mostly are.
"""

from __future__ import annotations

import re

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_DIGIT_SYLLABLES = {"0": 2, "1": 1, "2": 1, "3": 1, "4": 1, "5": 1, "6": 1, "7": 2, "8": 1, "9": 1}
_NON_LETTERS = re.compile(r"[^a-z]")


def count_syllables(word: str) -> int:
    """Syllables in one written word; 0 for a token without letters or digits."""
    lowered = word.lower()
    digits = sum(_DIGIT_SYLLABLES[c] for c in lowered if c in _DIGIT_SYLLABLES)
    letters = _NON_LETTERS.sub("", lowered)
    return digits + (_letter_syllables(letters) if letters else 0)


def _letter_syllables(word: str) -> int:
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent final e: "make", "home"
    elif word.endswith("le") and len(word) > 2 and word[-3] in "aeiouy" and count > 1:
        count -= 1  # "whale", "mile": the e is silent, "table" keeps it
    if word.endswith("ely") and count > 2:
        count -= 1  # "lovely", "unfortunately"
    if word.endswith("ed") and len(word) > 3 and word[-3] not in "dt" and count > 1:
        count -= 1  # "walked", "played": -ed is not a syllable after anything but d or t
    if word.endswith("es") and len(word) > 3 and word[-3] not in "sxzhcg" and count > 1:
        count -= 1  # "makes", "homes" but "boxes", "wishes", "pages"
    return max(1, count)


def count_text_syllables(text: str) -> int:
    return sum(count_syllables(token) for token in text.split())
