"""Nouns: missing articles before singular countable nouns, and plurals of uncountable nouns."""

from __future__ import annotations

from typing import Any

from lemminflect import getAllLemmas

from adapters.analysis.rules.base import indefinite_article, replace_token, replace_tokens, same_case
from domain.analysis.errors import Detection

UNCOUNTABLE = frozenset({
    "information", "advice", "furniture", "equipment", "homework", "knowledge", "luggage", "baggage",
    "feedback", "evidence", "software", "traffic", "money", "music", "weather", "scenery", "machinery",
    "jewellery", "jewelry", "garbage", "rubbish", "news", "research", "progress", "vocabulary", "grammar",
    "health", "fun", "luck", "bread", "rice", "water", "milk", "coffee", "tea", "food", "time", "work",
    "english", "football", "sport", "love", "happiness", "education", "pollution", "transport",
    "accommodation", "housework", "nature", "space", "art", "history", "science", "technology",
    "experience", "help", "fruit", "meat", "fish", "chicken", "hair", "paper", "cheese", "chocolate", "sugar",
    "salt", "pasta", "soup", "breakfast", "lunch", "dinner", "shopping", "tennis", "basketball", "peace",
    "freedom", "safety", "security", "stuff", "behaviour", "behavior", "damage", "permission",
    "kindness", "stress", "power", "energy", "noise", "air", "cash", "staff",
})
UNCOUNTABLE_PLURALS = {
    "informations": "information", "advices": "advice", "furnitures": "furniture", "equipments": "equipment",
    "homeworks": "homework", "knowledges": "knowledge", "luggages": "luggage", "baggages": "baggage",
    "feedbacks": "feedback", "evidences": "evidence", "softwares": "software", "sceneries": "scenery",
    "machineries": "machinery", "jewelleries": "jewellery", "garbages": "garbage", "rubbishes": "rubbish",
    "musics": "music", "breads": "bread", "accommodations": "accommodation", "pollutions": "pollution",
    "vocabularies": "vocabulary", "knowledge's": "knowledge",
}
# A learner's plural of an irregular plural or noun ("the peoples of Europe" is the one good use it breaks).
IRREGULAR_PLURALS = {
    "peoples": "people", "childs": "children", "childrens": "children", "mans": "men", "womans": "women",
    "womens": "women", "mens": "men", "foots": "feet", "tooths": "teeth", "gooses": "geese", "mouses": "mice",
}
# Nouns there is one of, which take "the" ("on the internet", "all over the world").
THE_NOUNS = frozenset({"internet", "world", "sun", "moon", "countryside", "environment"})
# Nouns that follow "be" without an article in good English ("I am home", "it is time").
BARE_AFTER_BE = frozenset({"home", "time", "part", "fun", "way", "use", "friends", "enough", "today", "tonight",
                           "none", "success", "failure", "nothing", "everything"})
BE_SUBJECTS = frozenset({"i", "he", "she", "it", "you", "this", "that"})
OBJECT_VERBS = frozenset({"like", "love", "hate", "eat", "buy", "want", "need", "have", "see", "read", "watch",
                          "bring", "find", "get", "take", "make", "use", "sell", "drive", "ride", "open", "play"})


def detect(doc: Any) -> list[Detection]:
    found: list[Detection] = []
    for token in doc:
        if token.tag_ == "NNS" and token.lower_ in UNCOUNTABLE_PLURALS:
            found.append(replace_token(token, same_case(token.text, UNCOUNTABLE_PLURALS[token.lower_]),
                                       "countability.uncountable_plural", 0.9))
        elif token.lower_ in IRREGULAR_PLURALS and not (token.i > 0 and token.nbor(-1).lower_ == "the"
                                                         and token.i + 1 < len(doc) and token.nbor().lower_ == "of"):
            # 9 of 12 right on the development units
            found.append(replace_token(token, same_case(token.text, IRREGULAR_PLURALS[token.lower_]),
                                       "noun_form.irregular_plural", 0.75))
        elif token.lower_ in THE_NOUNS and token.tag_ == "NN" and _bare_singular(token):
            found.extend(_missing_the(token))
        elif _bare_singular(token):
            found.extend(_missing_article(token) or _missing_article_after_preposition(token))
    return found


def _bare_singular(noun: Any) -> bool:
    if noun.tag_ != "NN" or noun.lower_ in UNCOUNTABLE or not noun.is_alpha or (noun.is_title and noun.i > 0):
        return False
    if set(getAllLemmas(noun.lower_)) != {"NOUN"}:  # "love", "work": also verbs, too often bare
        return False
    determiners = ("det", "poss", "nummod", "predet", "compound", "nmod", "quantmod")
    if any(child.dep_ in determiners or child.tag_ in ("PRP$", "DT", "CD", "WDT", "WP$") for child in noun.lefts):
        return False
    previous = noun.doc[noun.i - 1] if noun.i > 0 else None
    return not (previous is not None and (previous.tag_ in ("DT", "PRP$", "POS", "CD") or previous.dep_ == "poss"))


def _missing_article(noun: Any) -> list[Detection]:
    head = noun.head
    first = noun.doc[min(noun.left_edge.i, noun.i)]
    if any(t.tag_ in ("JJR", "JJS", "RBS") or t.lower_ in ("such", "what", "many", "much") for t in noun.lefts):
        return []
    article = indefinite_article(first.text)
    replacement = f"{article} {first.text}" if first.i == noun.i else None
    if replacement is None:
        return []
    after_be = noun.dep_ in ("attr", "acomp") and head.lemma_ == "be" and _singular_subject(head)
    if after_be and noun.lower_ not in BARE_AFTER_BE and not list(noun.lefts) and noun.head.i < noun.i:
        if noun.i + 1 < len(noun.doc) and noun.doc[noun.i + 1].lower_ in ("of", "to"):
            return []
        return [replace_token(noun, replacement, "article.missing_after_be", 0.7)]
    if noun.dep_ == "dobj" and head.lemma_ in OBJECT_VERBS and not list(noun.rights):
        return [replace_token(noun, replacement, "article.missing_before_object", 0.45)]
    return []


def _missing_the(noun: Any) -> list[Detection]:
    """"that internet", "all over world": nouns there is one of take "the" ("internet access" is a modifier)."""
    if noun.dep_ in ("compound", "npadvmod") or (noun.i + 1 < len(noun.doc) and noun.nbor().tag_.startswith("NN")):
        return []
    # confidence: 28 of 52 right on Write & Improve development units (wi_train.m2, first 8,000)
    return [replace_token(noun, f"the {noun.text}", "article.the_unique", 0.55)]


def _missing_article_after_preposition(noun: Any) -> list[Detection]:
    """"in small village": a preposition, adjectives, then a bare singular noun ("in good health" is
    uncountable and skipped before this; "in school", "by car" have no adjective)."""
    first = noun.doc[noun.left_edge.i]
    lefts = list(noun.lefts)
    if noun.dep_ != "pobj" or noun.head.tag_ != "IN" or not lefts or first.i == noun.i:
        return []
    if any(t.tag_ != "JJ" or t.lower_ in ("such", "what", "many", "much", "enough", "own", "other", "same", "next",
                                           "last", "whole", "few") for t in noun.doc[first.i:noun.i]):
        return []
    if noun.i + 1 < len(noun.doc) and noun.nbor().tag_.startswith("NN"):
        return []
    article = indefinite_article(first.text)
    # confidence: 22 of 118 right on the same development units ("in daily life", "by different way"
    # were annotated otherwise), so it reaches the learner as a hint
    return [replace_tokens(first, first, f"{article} {first.text}", "article.missing_after_preposition", 0.2)]


def _singular_subject(verb: Any) -> bool:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "expl")), None)
    return subject is not None and subject.lower_ in BE_SUBJECTS
