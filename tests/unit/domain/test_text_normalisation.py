"""The normalised copy of a learner's text, the map back to the client's offsets, grouping of identical
findings, and overlap resolution (pure domain code)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from domain.analysis.analysis import to_learner_error
from domain.analysis.errors import Detection, without_overlaps
from domain.analysis.findings import MAX_LISTED_OCCURRENCES, client_findings, occurrences_of
from domain.analysis.normalise import normalise


def test_plain_text_is_its_own_normal_form() -> None:
    source = normalise("Yesterday I eat rice.\nTab\there.")
    assert source.unchanged and source.span(12, 15) == (12, 15)


def test_control_and_format_characters_are_dropped_and_offsets_map_back() -> None:
    original = "go\x00 home\u200b now\ufeff!"  # a dropped character inside a word stays inside its span
    source = normalise(original)
    assert source.text == "go home now!"
    start, end = source.span(0, 2)
    assert original[start:end] == "go"
    start, end = source.span(3, 7)
    assert original[start:end] == "home"
    start, end = source.span(8, 12)
    assert original[start:end] == "now\ufeff!"


def test_whitespace_controls_become_spaces() -> None:
    assert normalise("one\x0btwo\x0cthree\x85four").text == "one two three four"


def test_decomposed_letters_are_composed_and_map_to_the_whole_sequence() -> None:
    original = "e\u0301te\u0301 cafe\u0301"
    source = normalise(original)
    assert source.text == "été café"
    assert source.span(0, 3) == (0, 5)
    assert original[slice(*source.span(8 - 1, 8))] == "e\u0301"
    assert source.span(1, 2) == (2, 3)


def test_an_insertion_stays_an_insertion() -> None:
    original = "I am\x00 student"
    source = normalise(original)
    assert source.text == "I am student"
    assert source.span(5, 5) == (6, 6)
    assert source.span(len(source.text), len(source.text)) == (len(original), len(original))


@pytest.mark.parametrize("seed", range(20))
def test_every_span_maps_to_whole_characters_of_the_original(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = ["a", "b", " ", "e\u0301", "\u0301", "\x00", "\u200b", "😀", "\u1100\u1161", "\n", "\x0c"]
    original = "".join(rng.choice(alphabet) for _ in range(60))
    source = normalise(original)
    assert source.text == unicodedata.normalize("NFC", source.text)
    for _ in range(50):
        start = rng.randrange(len(source.text) + 1)
        end = rng.randrange(start, len(source.text) + 1)
        o_start, o_end = source.span(start, end)
        assert 0 <= o_start <= o_end <= len(original)
        for cut in (o_start, o_end):  # no cut splits what normalising joined (a letter and its accents)
            assert normalise(original[:cut]).text + normalise(original[cut:]).text == source.text
        assert source.text[start:end] in normalise(original[o_start:o_end]).text  # nothing of the span lost


def error(text: str, start: int, end: int, replacement: str, rule: str = "rules:x") -> object:
    return to_learner_error(text, Detection(start, end, replacement, rule, "rules", 0.8, "R:VERB"))


def test_identical_findings_become_one_with_their_places_in_the_original() -> None:
    original = "I eat\x00 rice. I eat bread. 😀 I eat fish."
    source = normalise(original)
    text = source.text
    places = [i for i in range(len(text)) if text.startswith("eat", i)]
    errors = [error(text, p, p + 3, "ate") for p in places] + [error(text, 0, 1, "We", "rules:y")]
    findings = client_findings(errors, source)  # type: ignore[arg-type]
    assert [(f.original_text, f.occurrence_count) for f in findings] == [("I", 1), ("eat", 3)]
    eat = findings[1]
    assert [original[o.start:o.end] for o in eat.occurrences] == ["eat"] * 3
    last = eat.occurrences[-1]
    assert original.encode("utf-16-le")[2 * last.start_utf16:2 * last.end_utf16].decode("utf-16-le") == "eat"
    assert occurrences_of(findings) == 4


def test_at_most_fifty_places_are_listed_but_all_are_counted() -> None:
    text = "a " * 300
    source = normalise(text)
    errors = [error(text, 2 * i, 2 * i + 1, "an") for i in range(300)]
    (finding,) = client_findings(errors, source)  # type: ignore[arg-type]
    assert (finding.occurrence_count, len(finding.occurrences)) == (300, MAX_LISTED_OCCURRENCES)


def naive_without_overlaps(detections: list[Detection]) -> list[Detection]:
    kept: list[Detection] = []
    for candidate in sorted(detections, key=lambda d: (-d.confidence, d.start, d.end)):
        if not any(candidate.overlaps(k) for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda d: (d.start, d.end))


@pytest.mark.parametrize("seed", range(30))
def test_overlap_resolution_keeps_what_comparing_every_pair_keeps(seed: int) -> None:
    rng = random.Random(seed)
    detections = []
    for _ in range(80):
        start = rng.randrange(100)
        end = start + rng.choice([0, 0, 1, 2, 3, 5, 8])
        detections.append(Detection(start, end, "x", "r", "d", rng.choice([0.3, 0.5, 0.7, 0.9])))
    assert without_overlaps(detections) == naive_without_overlaps(detections)
