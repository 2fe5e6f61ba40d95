"""The tagger's edit tags: one per word (and one for the place before the first word, `$START`), GECToR's
scheme in our words. A tag says how to change its word: keep it, delete it, replace it with another word,
append a word after it, change its case, inflect it to another form of the same lemma, or merge it with the
next word. Training turns gold token edits into these tags (`tag_sentence`); inference turns predicted tags
back into word edits (`word_edit`). Both read the same functions, so a tag means one thing everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

KEEP = "$KEEP"
DELETE = "$DELETE"
APPEND = "$APPEND_"
REPLACE = "$REPLACE_"
INFLECT = "$INFLECT_"  # + the Penn tag of the wanted form: "$INFLECT_VBZ" turns "have" into "has"
CASE_CAPITAL = "$CASE_CAPITAL"
CASE_LOWER = "$CASE_LOWER"
CASE_UPPER = "$CASE_UPPER"
MERGE_SPACE = "$MERGE_SPACE"  # "can not" -> "cannot": the word and the next one become one
MERGE_HYPHEN = "$MERGE_HYPHEN"  # "well known" -> "well-known"
IGNORE = ""  # no tag to learn here: the gold edit has no tag the vocabulary can say
INFLECTION_TAGS = ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "NN", "NNS", "JJ", "JJR", "JJS", "RB", "RBR", "RBS")
NO_SPACE_BEFORE = (",", ".", "!", "?", ";", ":", "'s", "n't", "'", ")", "'re", "'ve", "'ll", "'d", "'m")


@dataclass(frozen=True)
class WordEdit:
    """A change of the words `start:end` (word positions, end exclusive) to `replacement` (words joined
    with spaces, or attached without one where English writes no space, as before a comma)."""

    start: int
    end: int
    replacement: str


@lru_cache(maxsize=65536)
def _forms(word: str) -> dict[str, str]:
    """Every inflected form of every lemma of `word`, by Penn tag (the first form of each tag)."""
    from lemminflect import getAllInflections, getAllLemmas

    forms: dict[str, str] = {}
    for lemmas in getAllLemmas(word.lower()).values():
        for lemma in lemmas:
            for tag, spelled in getAllInflections(lemma).items():
                forms.setdefault(tag, spelled[0])
    return forms


def match_case(model: str, word: str) -> str:
    """`word` written in the case of `model`: "Have" -> "Has", "HAVE" -> "HAS"."""
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def replacement_tag(source: str, target: str) -> str:
    """The tag that turns the word `source` into `target` (the most general one that does)."""
    if source == target:
        return KEEP
    if source.lower() == target.lower():
        for tag in (CASE_CAPITAL, CASE_LOWER, CASE_UPPER):
            if changed_word(source, tag) == target:
                return tag
    for penn in INFLECTION_TAGS:
        if changed_word(source, INFLECT + penn) == target:
            return INFLECT + penn
    if match_case(source, target.lower()) == target:
        return REPLACE + target.lower()
    return REPLACE + target


def changed_word(word: str, tag: str) -> str | None:
    """What a one-word tag makes of `word`; None when the tag cannot apply to it."""
    if tag == CASE_CAPITAL:
        return word[:1].upper() + word[1:]
    if tag == CASE_LOWER:
        return word.lower()
    if tag == CASE_UPPER:
        return word.upper()
    if tag.startswith(INFLECT):
        form = _forms(word).get(tag[len(INFLECT):])
        return None if form is None or form == word.lower() else match_case(word, form)
    if tag.startswith(REPLACE):
        target = tag[len(REPLACE):]
        return match_case(word, target) if target.islower() else target
    return None


def joined(left: str, right: str) -> str:
    """Two pieces of text with a space between them unless the right one attaches to the left."""
    if not left:
        return right
    if not right:
        return left
    return left + right if right.startswith(NO_SPACE_BEFORE) else f"{left} {right}"


def word_edit(words: Sequence[str], position: int, tag: str) -> WordEdit | None:
    """The edit that `tag` at `position` asks for. Position 0 is `$START` (only appends apply there); word
    i of `words` is position i + 1. None: keep, or a tag that cannot apply here."""
    if tag in (KEEP, IGNORE):
        return None
    if position == 0:
        if not tag.startswith(APPEND) or not words:
            return None
        first = words[0]
        added = tag[len(APPEND):]
        lowered = first.lower() if first[:1].isupper() and not first.isupper() and first != "I" else first
        return WordEdit(0, 1, joined(added[:1].upper() + added[1:], lowered))
    index = position - 1
    word = words[index]
    if tag == DELETE:
        return WordEdit(index, index + 1, "")
    if tag.startswith(APPEND):
        return WordEdit(index, index + 1, joined(word, tag[len(APPEND):]))
    if tag in (MERGE_SPACE, MERGE_HYPHEN):
        if index + 1 >= len(words):
            return None
        glue = "" if tag == MERGE_SPACE else "-"
        return WordEdit(index, index + 2, words[index] + glue + words[index + 1])
    changed = changed_word(word, tag)
    return None if changed is None or changed == word else WordEdit(index, index + 1, changed)


def tag_sentence(words: Sequence[str], edits: Sequence[tuple[int, int, str]]) -> list[str]:
    """One tag per position (`$START` and each word) from gold token edits `(start, end, corrected words)`.
    A position that two edits touch keeps the first edit's tag (a second pass of the tagger finds the
    other); a multi-word rewrite the tags cannot say marks its words IGNORE, so training neither learns a
    tag for them nor learns to keep them."""
    tags = [KEEP] * (len(words) + 1)
    touched = [False] * (len(words) + 1)
    for start, end, correction in sorted(edits):
        for position, tag in _edit_tags(words, start, end, correction.split()):
            if not touched[position]:
                tags[position], touched[position] = tag, True
    return tags


def _edit_tags(words: Sequence[str], start: int, end: int, target: list[str]) -> list[tuple[int, str]]:
    source = list(words[start:end])
    if not source:  # an insertion: append it to the word before (or to $START, lower-cased: see word_edit)
        added = " ".join(target)
        if start == 0 and added[:1].isupper() and added[1:].islower() and added != "I":
            added = added.lower()
        return [(start, APPEND + added)] if target else []
    if not target:
        return [(start + 1 + k, DELETE) for k in range(len(source))]
    if len(source) == len(target):
        return [(start + 1 + k, replacement_tag(s, t)) for k, (s, t) in enumerate(zip(source, target, strict=True))]
    if len(source) == 2 and len(target) == 1:
        for tag, glue in ((MERGE_SPACE, ""), (MERGE_HYPHEN, "-")):
            if source[0] + glue + source[1] == target[0]:
                return [(start + 1, tag)]
    if len(source) > len(target):  # the last target words replace the last source words; the rest go
        dropped = len(source) - len(target)
        return [(start + 1 + k, DELETE) for k in range(dropped)] + [
            (start + 1 + dropped + k, replacement_tag(s, t))
            for k, (s, t) in enumerate(zip(source[dropped:], target, strict=True))]
    if len(source) == 1 and len(target) == 2 and target[0] == source[0]:
        return [(start + 1, APPEND + target[1])]
    if len(source) == 1 and len(target) == 2 and target[1] == source[0]:
        return [(start, APPEND + target[0])]
    # More target words than source words: the extra words are appended to the last source word.
    extra = len(target) - len(source)
    if extra == 1 and len(source) == 1:
        return [(start + 1, REPLACE + " ".join(target))]
    head = [(start + 1 + k, replacement_tag(s, t)) for k, (s, t) in enumerate(zip(source, target, strict=False))]
    last = start + len(source)
    head[-1] = (last, APPEND + " ".join(target[len(source) - 1:])) if source[-1] == target[len(source) - 1] \
        else (last, IGNORE)
    return head
