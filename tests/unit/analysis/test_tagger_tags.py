"""The tag scheme: gold token edits become tags, and the tags give back the corrected words."""

from __future__ import annotations

import pytest

from adapters.analysis.tagger.tags import (
    APPEND,
    DELETE,
    INFLECT,
    KEEP,
    MERGE_SPACE,
    REPLACE,
    replacement_tag,
    tag_sentence,
    word_edit,
)


def corrected(words: list[str], tags: list[str]) -> list[str]:
    out = list(words)
    edits = [e for p, t in enumerate(tags) if (e := word_edit(words, p, t)) is not None]
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        out[edit.start:edit.end] = edit.replacement.split()
    return out


@pytest.mark.parametrize(("source", "target", "tag"), [
    ("have", "has", INFLECT + "VBZ"),
    ("buyed", "bought", REPLACE + "bought"),  # no lemma knows "buyed": a plain replacement
    ("go", "went", INFLECT + "VBD"),
    ("childs", "children", REPLACE + "children"),
    ("peoples", "people", INFLECT + "VB"),  # the first form in INFLECTION_TAGS order that gives the target
    ("i", "I", "$CASE_CAPITAL"),
    ("Internet", "internet", "$CASE_LOWER"),
    ("In", "At", REPLACE + "at"),  # case follows the word replaced
])
def test_replacement_tags_say_the_change(source: str, target: str, tag: str) -> None:
    assert replacement_tag(source, target) == tag
    words = [source]
    assert corrected(words, [KEEP, tag]) == [target]


def test_a_learner_sentence_round_trips() -> None:
    words = ["She", "have", "two", "childs", "and", "they", "was", "happy", "in", "small", "village"]
    edits = [(1, 2, "has"), (3, 4, "children"), (6, 7, "were"), (9, 9, "a")]
    tags = tag_sentence(words, edits)
    assert tags[2] == INFLECT + "VBZ" and tags[7].startswith(("$INFLECT_", REPLACE)) and tags[9] == APPEND + "a"
    assert corrected(words, tags) == ["She", "has", "two", "children", "and", "they", "were", "happy", "in", "a",
                                      "small", "village"]


def test_insertions_deletions_and_merges() -> None:
    words = ["internet", "is", "very", "very", "useful", ",", "can", "not", "you", "see"]
    tags = tag_sentence(words, [(0, 0, "The"), (2, 3, ""), (6, 8, "cannot")])
    assert tags[0] == APPEND + "the" and tags[3] == DELETE and tags[7] == MERGE_SPACE
    assert corrected(words, tags) == ["The", "internet", "is", "very", "useful", ",", "cannot", "you", "see"]


def test_a_position_two_edits_touch_keeps_the_first_and_unknown_rewrites_are_ignored() -> None:
    words = ["I", "am", "agree", "that"]
    tags = tag_sentence(words, [(1, 2, ""), (1, 2, "do")])
    assert tags[2] == DELETE
    long_rewrite = tag_sentence(["a", "b", "c"], [(0, 2, "x y z w")])
    assert "" in long_rewrite  # no tag can say it: neither learned as a change nor as KEEP


def test_start_appends_capitalise_and_lower_the_first_word() -> None:
    edit = word_edit(["Internet", "is"], 0, APPEND + "the")
    assert edit is not None and edit.replacement == "The internet"
    assert word_edit(["I"], 0, DELETE) is None  # only appends apply before the first word
