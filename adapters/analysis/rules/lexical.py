"""Word choice: dependent prepositions, "explain me", comparatives, adverb position, capital letters of
days, months and languages, and verb-noun collocations."""

from __future__ import annotations

from typing import Any

from adapters.analysis.rules.base import detection, inflect, replace_token, replace_tokens, same_case
from domain.analysis.errors import Detection

# (lemma of the head word, preposition written) -> preposition English uses.
DEPENDENT_PREPOSITIONS = {
    ("marry", "with"): "to", ("married", "with"): "to", ("depend", "of"): "on", ("depend", "from"): "on",
    ("interested", "about"): "in", ("interested", "for"): "in", ("interested", "on"): "in",
    ("afraid", "from"): "of", ("consist", "from"): "of", ("similar", "with"): "to", ("different", "of"): "from",
    ("proud", "on"): "of", ("proud", "for"): "of", ("responsible", "of"): "for", ("aware", "about"): "of",
    ("famous", "of"): "for", ("according", "with"): "to", ("good", "in"): "at", ("bad", "in"): "at",
    ("angry", "on"): "with", ("arrive", "to"): "in", ("fond", "with"): "of", ("full", "with"): "of",
    ("think", "on"): "about", ("dream", "on"): "about", ("wait", "on"): "for", ("listen", "at"): "to",
    ("participate", "at"): "in", ("take part", "at"): "in", ("believe", "on"): "in", ("succeed", "at"): "in",
    ("pay", "on"): "for", ("congratulate", "for"): "on", ("insist", "in"): "on", ("keen", "in"): "on",
    ("capable", "to"): "of", ("addicted", "with"): "to", ("satisfied", "from"): "with",
}
NEEDLESS_PREPOSITIONS = {("discuss", "about"), ("mention", "about"), ("emphasize", "on"), ("emphasise", "on"),
                         ("reach", "to"), ("attend", "to"), ("contact", "with"), ("enter", "in"), ("lack", "of"),
                         ("approach", "to"), ("resemble", "to")}
TO_BEFORE_OBJECT = frozenset({"explain", "suggest"})
OBJECT_PRONOUNS = frozenset({"me", "us", "him", "her", "them"})
ER_ADJECTIVES = frozenset({"big", "small", "tall", "short", "long", "old", "young", "cheap", "fast", "slow", "hot",
                           "cold", "warm", "cool", "high", "low", "large", "nice", "new", "hard", "easy", "happy",
                           "busy", "heavy", "light", "strong", "weak", "rich", "poor", "near", "close", "late",
                           "early", "quiet", "clean", "dirty", "safe", "great", "bright", "dark", "thin", "fat",
                           "wide", "deep", "funny", "pretty", "friendly", "lucky", "healthy", "smart", "quick"})
IRREGULAR_COMPARATIVES = {"good": "better", "bad": "worse", "far": "further"}
FREQUENCY_ADVERBS = frozenset({"always", "usually", "often", "never", "sometimes", "rarely", "seldom"})
PROPER_NAMES = (
    "monday tuesday wednesday thursday friday saturday sunday january february april june july september "
    "october november december english spanish french german italian chinese japanese russian arabic "
    "portuguese korean turkish dutch greek american british european african asian christmas easter "
    "london paris spain france germany italy china japan russia brazil mexico canada england"
)
PROPER_LOWERCASE = {w: w.capitalize() for w in PROPER_NAMES.split()}
COLLOCATIONS = {("make", "homework"): "do", ("do", "mistake"): "make", ("make", "sport"): "do",
                ("do", "decision"): "make", ("make", "photo"): "take", ("make", "photos"): "take",
                ("make", "picture"): "take", ("make", "pictures"): "take", ("say", "lie"): "tell",
                ("say", "joke"): "tell", ("make", "exercise"): "do", ("do", "noise"): "make",
                ("do", "effort"): "make", ("make", "shower"): "take", ("do", "friends"): "make",
                ("make", "experience"): "have", ("do", "money"): "make", ("win", "money"): "earn"}


def detect(doc: Any) -> list[Detection]:
    found: list[Detection] = []
    for token in doc:
        for rule in (_preposition, _to_before_object, _comparative, _adverb_position, _very_much, _capital,
                     _collocation):
            found.extend(rule(token))
    return found


def _preposition(prep: Any) -> list[Detection]:
    if prep.dep_ not in ("prep", "dative") or (prep.tag_ != "IN" and prep.lower_ != "to"):
        return []
    head = prep.head
    key = (head.lemma_.lower(), prep.lower_)
    if key in NEEDLESS_PREPOSITIONS and head.pos_ == "VERB" and prep.i == head.i + 1:
        return [detection(head.idx + len(head.text), prep.idx + len(prep.text), "", "preposition.needless", 0.75)]
    if key == ("marry", "with") and head.tag_ == "VBD" and not any(c.dep_ in ("aux", "auxpass") for c in head.children):
        return [detection(head.idx + len(head.text), prep.idx + len(prep.text), "", "preposition.needless", 0.75)]
    wanted = DEPENDENT_PREPOSITIONS.get(key) or DEPENDENT_PREPOSITIONS.get((head.lower_, prep.lower_))
    if wanted is None or prep.i - head.i > 2 or prep.i < head.i:
        return []
    return [replace_token(prep, same_case(prep.text, wanted), "preposition.dependent", 0.7)]


def _to_before_object(verb: Any) -> list[Detection]:
    if verb.lemma_ not in TO_BEFORE_OBJECT or verb.pos_ != "VERB" or verb.i + 2 >= len(verb.doc):
        return []
    pronoun = verb.nbor()
    if pronoun.lower_ not in OBJECT_PRONOUNS or pronoun.tag_ != "PRP" or pronoun.nbor().is_punct:
        return []
    return [replace_token(pronoun, f"to {pronoun.text}", "preposition.explain_to", 0.85)]


def _comparative(adjective: Any) -> list[Detection]:
    if adjective.tag_ not in ("JJ", "JJR") or adjective.i == 0:
        return []
    previous = adjective.nbor(-1)
    following = adjective.nbor() if adjective.i + 1 < len(adjective.doc) else None
    lower = adjective.lower_
    if previous.lower_ == "more" and (adjective.tag_ == "JJR" or lower in ER_ADJECTIVES):
        word = lower if adjective.tag_ == "JJR" else _er(lower)
        rule = "comparative.double" if adjective.tag_ == "JJR" else "comparative.more_short_adjective"
        return [replace_tokens(previous, adjective, word, rule, 0.8)] if word else []
    if adjective.tag_ == "JJ" and following is not None and following.lower_ == "than" and previous.lower_ not in (
            "more", "less", "as", "so"):
        word = _er(lower) if lower in ER_ADJECTIVES or lower in IRREGULAR_COMPARATIVES else None
        return [replace_token(adjective, word, "comparative.than", 0.8)] if word else []
    return []


def _er(adjective: str) -> str | None:
    return IRREGULAR_COMPARATIVES.get(adjective) or inflect(adjective, "JJR")


def _adverb_position(adverb: Any) -> list[Detection]:
    if adverb.lower_ not in FREQUENCY_ADVERBS or adverb.i == 0 or adverb.i + 1 >= len(adverb.doc):
        return []
    verb = adverb.nbor(-1)
    following = adverb.nbor()
    if verb.pos_ != "VERB" or verb.lemma_ in ("be",) or verb.tag_ not in ("VBP", "VBZ", "VBD"):
        return []
    if following.is_punct or following.pos_ not in ("ADP", "DET", "NOUN", "PRON", "PROPN"):
        return []
    if any(c.dep_ == "aux" for c in verb.children):
        return []
    return [replace_tokens(verb, adverb, f"{adverb.lower_} {verb.text}", "word_order.adverb_object", 0.7)]


def _very_much(much: Any) -> list[Detection]:
    """"I like very much football" -> "I like football very much"."""
    if much.lower_ != "much" or much.i < 2 or much.nbor(-1).lower_ != "very" or much.i + 1 >= len(much.doc):
        return []
    verb = much.nbor(-2)
    if verb.pos_ != "VERB":
        return []
    objects = [t for t in much.doc[much.i + 1:] if t.dep_ == "dobj" and t.head.i == verb.i] or \
        [t for t in much.doc[much.i + 1:much.i + 2] if t.pos_ in ("NOUN", "PROPN") and t.head.i == much.i]
    if not objects:
        return []
    last = much.doc[objects[0].right_edge.i]
    if last.i <= much.i:
        return []
    obj_text = much.doc[much.i + 1:last.i + 1].text
    return [replace_tokens(much.nbor(-1), last, f"{obj_text} very much", "word_order.adverb_object", 0.8)]


def _capital(token: Any) -> list[Detection]:
    if token.text not in PROPER_LOWERCASE:
        return []
    return [replace_token(token, PROPER_LOWERCASE[token.text], "capitalisation.proper_name", 0.9)]


def _collocation(noun: Any) -> list[Detection]:
    if noun.dep_ != "dobj" or noun.head.pos_ != "VERB":
        return []
    verb = noun.head
    wanted = COLLOCATIONS.get((verb.lemma_, noun.lemma_)) or COLLOCATIONS.get((verb.lemma_, noun.lower_))
    if wanted is None:
        return []
    form = inflect(wanted, verb.tag_) if verb.tag_ != "VB" else wanted
    return [replace_token(verb, same_case(verb.text, form or wanted), "collocation.verb_noun", 0.75)]
