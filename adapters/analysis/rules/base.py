"""Small helpers the rules share: building detections from tokens and inflecting words."""

from __future__ import annotations

from typing import Any

from lemminflect import getInflection

from domain.analysis.errors import Detection

DETECTOR = "rules"
VOWEL_SOUND_EXCEPTIONS = ("hour", "honest", "honour", "honor", "heir")
CONSONANT_SOUND_EXCEPTIONS = ("uni", "use", "usu", "eur", "one", "once", "ubi", "uti")


def detection(text_start: int, text_end: int, replacement: str, rule: str, confidence: float,
              message: str | None = None) -> Detection:
    return Detection(text_start, text_end, replacement, f"rules:{rule}", DETECTOR, confidence, message=message)


def replace_token(token: Any, replacement: str, rule: str, confidence: float, message: str | None = None) -> Detection:
    return detection(token.idx, token.idx + len(token.text), replacement, rule, confidence, message)


def replace_tokens(first: Any, last: Any, replacement: str, rule: str, confidence: float,
                   message: str | None = None) -> Detection:
    return detection(first.idx, last.idx + len(last.text), replacement, rule, confidence, message)


def same_case(original: str, word: str) -> str:
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def inflect(lemma: str, tag: str) -> str | None:
    forms = getInflection(lemma, tag=tag)
    return forms[0] if forms else None


def indefinite_article(word: str) -> str:
    lower = word.lower()
    if lower.startswith(VOWEL_SOUND_EXCEPTIONS):
        return "an"
    if lower.startswith(CONSONANT_SOUND_EXCEPTIONS):
        return "a"
    return "an" if lower[:1] in "aeiou" else "a"


def has_child(token: Any, *deps: str) -> bool:
    return any(child.dep_ in deps for child in token.children)


def subject_of(verb: Any) -> Any | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
