"""Learner-error rules over a spaCy parse: what Harper does not catch (articles, tense against time
markers, verb forms, dependent prepositions, countability, comparatives, word order, collocations)."""

from __future__ import annotations

from typing import Any

from adapters.analysis.rules import lexical, nouns, verbs
from domain.analysis.errors import Detection

RULE_SETS = (nouns.detect, verbs.detect, lexical.detect)


def detect_all(doc: Any) -> list[Detection]:
    return [d for rule_set in RULE_SETS for d in rule_set(doc)]
