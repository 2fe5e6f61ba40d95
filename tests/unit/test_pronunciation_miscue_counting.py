"""The miscue set counts every word the learner was asked to read: a word the aligner gave no span is what
the assessor reports as omitted (unless the recogniser heard it), and counts so in both rates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adapters.pronunciation.dataset import LabelledUtterance, speakers_part
from adapters.pronunciation.measurement import Measurement, PhoneSpan, WordSpan
from adapters.pronunciation.miscues import fit, report, words_of_set
from adapters.pronunciation.omission import OMISSION_FEATURES, LogisticOmission, OmissionDecision

SIZE = len(OMISSION_FEATURES)


def _never(threshold: float = 0.99) -> LogisticOmission:
    """A regression that finds no word likely omitted."""
    return LogisticOmission((0.0,) * SIZE, (1.0,) * SIZE, (0.0,) * SIZE, bias=-20.0, threshold=threshold)


def _utterance(utt: str, speaker: str, words: list[tuple[str, float]]) -> LabelledUtterance:
    labels = {"words": [{"text": t, "accuracy": a, "phones": ["AH", "T"]} for t, a in words]}
    return LabelledUtterance(utt, Path(f"{utt}.flac"), speaker, " ".join(t for t, _ in words), labels)


def _measurement(indexes: list[int], short: frozenset[int] = frozenset()) -> dict[str, Any]:
    spans = []
    for n, index in enumerate(indexes):
        start, length = 10 + 40 * n, 3 if index in short else 15
        phones = (PhoneSpan("AH", start, length, -length * (6.0 if index in short else 1.0)),
                  PhoneSpan("T", start + length, length, -length * (6.0 if index in short else 1.0)))
        spans.append(WordSpan(index, f"w{index}", start, 2 * length, phones))
    return Measurement(400, tuple(spans), (), (), {}).to_json()


def test_words_without_a_span_count_as_omitted_in_the_false_omission_rate_and_the_recall() -> None:
    item = _utterance("u1", "s1", [("A", 10.0), ("B", 9.0), ("C", 10.0), ("D", 10.0)])
    records = [
        ("u1:untouched", {"utt": "u1", "variant": "untouched", "measurement": _measurement([0, 1, 3])}),
        ("u1:cut", {"utt": "u1", "variant": "cut", "cut": 2, "measurement": _measurement([0, 1, 3])}),
    ]
    words = words_of_set([item], records)

    assert len(words) == 8 and sum(w.features is None for w in words) == 2
    rule = OmissionDecision(_never())
    never = report(words, lambda w: rule.omitted(w.features, w.heard))
    # 7 well-said words (the cut word has no human score on its cut variant); C is unaligned in the untouched one.
    assert never["good_words"] == 7 and never["good_words_unaligned"] == 1
    assert never["false_omissions_good_words"] == round(1 / 7, 4)
    assert never["cut_words"] == 1 and never["omission_recall_cut_words"] == 1.0


def test_the_fitted_threshold_spends_the_false_omission_budget_on_unaligned_words_first() -> None:
    items, records = [], []
    for number in range(40):
        utt = f"u{number}"
        items.append(_utterance(utt, f"s{number % 8}", [(f"W{i}", 10.0) for i in range(6)]))
        records.append((f"{utt}:untouched", {"utt": utt, "variant": "untouched",
                                             "measurement": _measurement(list(range(6)))}))
        records.append((f"{utt}:cut", {"utt": utt, "variant": "cut", "cut": 2,
                                       "measurement": _measurement(list(range(6)), short=frozenset({2}))}))
    words = words_of_set(items, records)
    generous = fit(words, max_false_omissions=0.05)
    assert report(words, lambda w: generous.omitted(w.features))["omission_recall_cut_words"] == 1.0

    unaligned_items = [_utterance(f"v{n}", "s9", [(f"W{i}", 10.0) for i in range(6)]) for n in range(10)]
    unaligned = [(f"v{n}:untouched", {"utt": f"v{n}", "variant": "untouched", "measurement": _measurement([])})
                 for n in range(10)]
    with_failures = words_of_set(items + unaligned_items, records + unaligned)
    decision = fit(with_failures, max_false_omissions=0.05)
    result = report(with_failures, lambda w: decision.omitted(w.features))
    # 60 unaligned of 460 well-said words already exceed 5 %: no aligned well-said word may be omitted on top.
    assert result["good_words_unaligned"] == 60
    assert result["false_omissions_good_words"] == round(60 / result["good_words"], 4)


def test_held_out_speakers_are_every_fifth_in_sorted_order_and_disjoint_from_train() -> None:
    items = [_utterance(f"u{n}", f"{n % 10:04d}", [("A", 10.0)]) for n in range(30)]
    held_out, train = speakers_part(items, "held-out"), speakers_part(items, "train")

    assert {i.speaker for i in held_out} == {"0000", "0005"}
    assert len(held_out) + len(train) == 30 and not {i.speaker for i in held_out} & {i.speaker for i in train}


def test_a_word_squeezed_to_minimum_length_that_the_grammar_also_skips_is_omitted_whatever_the_regression() -> None:
    never = OmissionDecision(_never())
    features = [0.0] * SIZE
    squeezed, skipped = OMISSION_FEATURES.index("squeezed"), OMISSION_FEATURES.index("grammar_skipped")

    assert not never.omitted(features)
    features[squeezed] = 1.0
    assert not never.omitted(features)
    features[skipped] = 1.0
    assert never.omitted(features)


def test_a_word_the_recogniser_heard_is_said_and_one_it_missed_is_judged_by_the_unheard_regression() -> None:
    always = LogisticOmission((0.0,) * SIZE, (1.0,) * SIZE, (0.0,) * SIZE, bias=20.0, threshold=0.5)
    decision = OmissionDecision(acoustic=_never(), unheard=always)
    features = [0.0] * SIZE

    assert not decision.omitted(features)  # no recogniser listened: the acoustic regression alone
    assert decision.omitted(features, heard=False)
    assert not decision.omitted(features, heard=True)
    assert decision.omitted(None) and decision.omitted(None, heard=False)  # no span, not heard
    assert not decision.omitted(None, heard=True)  # no span, but heard: said, the aligner failed


WORDS = ["ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT"]


def test_what_the_recogniser_heard_is_matched_to_the_reference_words_and_fits_the_unheard_regression() -> None:
    items, records = [], []
    for number in range(40):
        utt = f"u{number}"
        items.append(_utterance(utt, f"s{number % 8}", [(word, 10.0) for word in WORDS]))
        every = " ".join(WORDS).lower()
        missed_one = every.replace("echo ", "")  # a well-said word the recogniser missed
        records.append((f"{utt}:untouched", {"utt": utt, "variant": "untouched", "heard": missed_one,
                                             "measurement": _measurement(list(range(6)))}))
        records.append((f"{utt}:cut", {"utt": utt, "variant": "cut", "cut": 2, "heard": every.replace("charlie ", ""),
                                       "measurement": _measurement(list(range(6)), short=frozenset({2}))}))
    words = words_of_set(items, records)
    assert [w.heard for w in words[:6]] == [True, True, True, True, False, True]

    decision = fit(words, max_false_omissions=0.05)
    assert decision.unheard is not None
    result = report(words, lambda w: decision.omitted(w.features, w.heard))
    assert result["omission_recall_cut_words"] == 1.0 and result["false_omissions_good_words"] == 0.0
