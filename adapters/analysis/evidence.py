"""Finds in the spaCy parse the words that make a typed edit right (the subject a verb agrees with, the time
marker, the noun an article belongs to, the word that asks for a verb form) and puts them on the detection,
for the domain's explanation templates to name. Read-only on the parse; linear in the detections' tokens."""

from __future__ import annotations

from typing import Any

from lemminflect import getInflection, getLemma

from adapters.analysis.rules.verbs import LAST_UNITS
from domain.analysis.errors import Detection, Evidence

SINGULAR_PRONOUNS = frozenset({"he", "she", "it", "this", "that", "everyone", "everybody", "someone", "somebody",
                               "nobody", "everything", "something", "nothing"})
PLURAL_PRONOUNS = frozenset({"we", "they", "these", "those"})
PLURAL_QUANTIFIERS = frozenset({"many", "few", "several", "these", "those", "both", "various", "numerous"})
SINGULAR_QUANTIFIERS = frozenset({"a", "an", "one", "each", "every", "this", "that", "another"})
FUTURE_WORDS = frozenset({"tomorrow"})
INSERTION_LOOKAHEAD = 8  # characters of white space an insertion point may sit before its next word
MAX_SUBJECT_WORDS = 4  # a longer subject is named by its head word alone


def with_evidence(doc: Any, detections: list[Detection]) -> list[Detection]:
    """The detections, each with the evidence its ERRANT code can use (unchanged where there is none)."""
    return [_with_evidence(doc, d) for d in detections]


def _with_evidence(doc: Any, detection: Detection) -> Detection:
    code = detection.errant_code
    finder = FINDERS.get(code.partition(":")[2]) if code is not None else None
    if finder is None:
        return detection
    tokens = _tokens(doc, detection.start, detection.end)
    if not tokens:
        return detection
    evidence = finder(tokens, detection.replacement.strip())
    return detection.with_evidence(evidence) if evidence != Evidence() else detection


def _tokens(doc: Any, start: int, end: int) -> list[Any]:
    """The tokens of the span; for an insertion, the token just after the point (or the last one). Looked up
    by character offsets: iterating a long doc's tokens per detection cost milliseconds."""
    if start < end:
        span = doc.char_span(start, end, alignment_mode="expand")
        return list(span) if span is not None else []
    length = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0  # `Doc.text` rebuilds the whole text
    for at in range(start, min(start + INSERTION_LOOKAHEAD, length)):
        span = doc.char_span(at, at + 1, alignment_mode="expand")
        if span is not None and len(span):
            return [span[0]]
    return [doc[-1]] if len(doc) else []


def _verb(tokens: list[Any]) -> Any:
    verbs = [t for t in tokens if t.pos_ in ("VERB", "AUX")]
    return verbs[-1] if verbs else tokens[-1]


def _subject_of(verb: Any) -> Any | None:
    for candidate in (verb, verb.head):
        subject = next((c for c in candidate.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
        if subject is not None:
            return subject
        if candidate.dep_ not in ("conj", "aux", "auxpass"):
            break
    return None


def _agreement(tokens: list[Any], corrected: str) -> Evidence:
    subject = _subject_of(_verb(tokens))
    if subject is None:
        return Evidence()
    words = list(subject.subtree)
    named = subject.doc[words[0].i:words[-1].i + 1].text if len(words) <= MAX_SUBJECT_WORDS else subject.text
    if subject.lower_ in SINGULAR_PRONOUNS or subject.tag_ in ("NN", "NNP"):
        number = "singular"
    elif subject.lower_ in PLURAL_PRONOUNS or subject.tag_ in ("NNS", "NNPS"):
        number = "plural"
    else:
        number = ""
    return Evidence(subject=named, number=number)


def _time_marker(sentence: Any) -> tuple[str, str]:
    """The words in the sentence that mark the time, and which time: ("Last week", "past"), or ("", "")."""
    for token in sentence:
        lower = token.lower_
        nxt = token.nbor() if token.i + 1 < sentence.end else None
        if lower == "yesterday":
            return token.text, "past"
        if lower == "ago":
            return token.doc[token.left_edge.i:token.i + 1].text, "past"
        if lower in FUTURE_WORDS:
            return token.text, "future"
        if lower in ("last", "next") and nxt is not None and nxt.lower_ in LAST_UNITS:
            before = token.nbor(-1) if token.i > sentence.start else None
            if before is None or before.tag_ not in ("DT", "PRP$", "POS"):  # not "my last holiday"
                return token.doc[token.i:nxt.i + 1].text, "past" if lower == "last" else "future"
    return "", ""


def _tense(tokens: list[Any], corrected: str) -> Evidence:
    verb = _verb(tokens)
    marker, time = _time_marker(verb.sent)
    if not marker:
        return Evidence()
    last = corrected.split()[-1].lower() if corrected else ""
    if time == "past":
        past = {f.lower() for f in getInflection(verb.lemma_, tag="VBD")}
        fits = last in past or (not corrected and any(t.lemma_ in ("have", "be", "will") for t in tokens))
    else:
        fits = "will" in corrected.lower().split() or "going" in corrected.lower().split()
    return Evidence(marker=marker, time=time) if fits else Evidence(marker=marker)


def _verb_form(tokens: list[Any], corrected: str) -> Evidence:
    if not corrected:
        return Evidence()
    verb = _verb(tokens)
    form = _form(verb, corrected)
    trigger = _trigger(verb, tokens)
    return Evidence(trigger=trigger, form=form) if trigger and form else Evidence()


def _form(verb: Any, corrected: str) -> str:
    words = corrected.lower().split()
    if len(words) == 2 and words[0] == "to":
        return "to"
    if len(words) != 1:
        return ""
    word = words[0]
    lemmas = {lemma.lower() for lemma in getLemma(word, upos="VERB")} | {verb.lemma_.lower()}
    if word.endswith("ing"):
        return "ing"
    if word in lemmas:
        return "base"
    if any(word in {f.lower() for f in getInflection(lemma, tag="VBN")} for lemma in lemmas):
        return "participle"
    return ""


def _trigger(verb: Any, tokens: list[Any]) -> str:
    """The auxiliary, modal, 'to', preposition or verb just before that asks for this verb's form."""
    inside = {t.i for t in tokens}
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i and c.i not in inside]
    if auxiliaries:
        aux = auxiliaries[-1]
        negation = next((c for c in verb.children if c.dep_ == "neg" and c.i == aux.i + 1), None)
        return str(aux.doc[aux.i:(negation or aux).i + 1].text)
    if verb.dep_ == "pcomp" and verb.head.i < verb.i:
        return str(verb.head.text)
    if verb.dep_ == "xcomp" and verb.head.i < verb.i and verb.head.pos_ == "VERB":
        return str(verb.head.text)
    return ""


def _article(tokens: list[Any], corrected: str) -> Evidence:
    token = tokens[-1]
    noun = token if token.pos_ in ("NOUN", "PROPN") else token.head
    if noun.pos_ not in ("NOUN", "PROPN") or noun.i < token.i:
        return Evidence()
    number = "plural" if noun.tag_ in ("NNS", "NNPS") else "singular" if noun.tag_ == "NN" else ""
    return Evidence(noun=noun.text, number=number)


def _preposition(tokens: list[Any], corrected: str) -> Evidence:
    token = tokens[0]
    if token.dep_ == "prep" or token.pos_ == "ADP":  # the preposition itself (replaced or deleted)
        objects = [c for c in token.children if c.dep_ in ("pobj", "pcomp")]
        head = token.head if token.head.i != token.i else None
        noun = objects[0].text if objects else ""
    else:  # an insertion before the object: "listen music"
        head = token.head if token.head.i < token.i else None
        noun = token.text
    return Evidence(head=head.text, noun=noun) if head is not None and head.is_alpha else Evidence()


def _noun_number(tokens: list[Any], corrected: str) -> Evidence:
    noun = next((t for t in tokens if t.pos_ in ("NOUN", "PROPN")), tokens[-1])
    for child in noun.children:
        if child.i > noun.i or child.dep_ not in ("det", "nummod", "amod", "quantmod"):
            continue
        lower = child.lower_
        if lower in SINGULAR_QUANTIFIERS:
            return Evidence(noun=noun.text, quantifier=child.text, number="singular")
        if lower in PLURAL_QUANTIFIERS or (child.tag_ == "CD" and lower not in ("one", "1")):
            return Evidence(noun=noun.text, quantifier=child.text, number="plural")
    return Evidence()


FINDERS = {
    "VERB:SVA": _agreement,
    "VERB:TENSE": _tense,
    "VERB:FORM": _verb_form,
    "DET": _article,
    "PREP": _preposition,
    "NOUN:NUM": _noun_number,
}
