"""Short input (one to three sentences): too little text for the statistical model alone, so its estimate
is blended with what the CEFR-J profiles say about the words and structures used.

The profile estimate is the centre of the highest level found among the learner's vocabulary (a level
counts once it holds a noticeable share of the content words) and grammar structures. Its weight falls
linearly from 1 at no words to 0 at `SHORT_TEXT_WORDS`; from there on the model decides alone.
"""

from __future__ import annotations

from domain.cefr.feedback import vocabulary_level
from domain.cefr.profile import TextProfile

SHORT_TEXT_WORDS = 20


def profile_position(profile: TextProfile) -> float:
    """Position (1 = A1 ... 6 = C2) of the most advanced vocabulary level or structure in the text."""
    ranks = [vocabulary_level(profile).rank, *(use.structure.level.rank for use in profile.structures)]
    return max(ranks) + 1.0


def profile_weight(word_count: int) -> float:
    return max(0.0, 1.0 - word_count / SHORT_TEXT_WORDS)


def blend_short_text(model_position: float, profile: TextProfile) -> float:
    weight = profile_weight(profile.word_count)
    return weight * profile_position(profile) + (1.0 - weight) * model_position
