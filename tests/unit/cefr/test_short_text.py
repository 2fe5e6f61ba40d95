from __future__ import annotations

import pytest

from domain.cefr.assessment import TextKind
from domain.cefr.profile import Structure, StructureUse, TextProfile
from domain.cefr.scale import CefrLevel as L
from domain.cefr.short_text import blend_short_text, profile_position, profile_weight


def short(words: int, vocabulary: dict[L, float], structures: tuple[StructureUse, ...] = ()) -> TextProfile:
    return TextProfile(TextKind.WRITTEN, words, 1, vocabulary, {}, structures, {})


def test_basic_words_and_structures_put_a_short_text_at_a1() -> None:
    assert profile_position(short(6, {L.A1: 1.0})) == 1.0


def test_the_most_advanced_word_or_structure_sets_the_profile_position() -> None:
    third = StructureUse(Structure("SUBJ.PASTPF.AFF", "third conditional", L.C1), ("If I had known",))
    assert profile_position(short(10, {L.A1: 0.8, L.B2: 0.2})) == 4.0
    assert profile_position(short(10, {L.A1: 1.0}, (third,))) == 5.0


@pytest.mark.parametrize(("words", "weight"), [(0, 1.0), (10, 0.5), (20, 0.0), (300, 0.0)])
def test_the_profile_weight_fades_out_at_twenty_words(words: int, weight: float) -> None:
    assert profile_weight(words) == pytest.approx(weight)


def test_long_texts_keep_the_model_estimate() -> None:
    assert blend_short_text(3.7, short(120, {L.A1: 1.0})) == 3.7


def test_short_texts_move_towards_the_profile_estimate() -> None:
    assert blend_short_text(2.1, short(6, {L.A1: 1.0})) == pytest.approx(0.7 * 1.0 + 0.3 * 2.1)
