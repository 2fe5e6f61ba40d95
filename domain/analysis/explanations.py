"""Explanations keyed by ERRANT code, for findings whose rule has no explanation of its own (the tagger's,
most of Harper's): each names the evidence the parse gave where there is some ("'She' is one person, so the
verb is 'has'") and falls back to a plainer sentence where there is none.

A code's templates are tried in order; the first whose every field is known is used. Keys are the code with
a variant (`R:VERB:SVA|singular`), the code, then `*:` and the code's part of speech for every operation
(`*:VERB:TENSE|past`, `*:DET`)."""

from __future__ import annotations

from string import Formatter

from domain.analysis.errors import Evidence

ALWAYS_KNOWN = frozenset({"original", "corrected"})
SINGULAR_PEOPLE = frozenset({"he", "she"})

CODE_TEMPLATES: dict[str, tuple[str, ...]] = {
    # agreement: the subject and its number
    "R:VERB:SVA|singular": (
        "'{subject}' is one person or thing, so the verb is '{corrected}'.",),
    "R:VERB:SVA|person": ("'{subject}' is one person, so the verb is '{corrected}'.",),
    "R:VERB:SVA|plural": ("'{subject}' is more than one, so the verb is '{corrected}'.",),
    "R:VERB:SVA": (
        "The verb agrees with its subject '{subject}': use '{corrected}', not '{original}'.",
        "The verb must agree with its subject: use '{corrected}', not '{original}'."),
    # tense: the time marker
    "R:VERB:TENSE|past": ("'{marker}' marks the past: use '{corrected}'.",),
    "M:VERB:TENSE|past": ("'{marker}' marks the past: use '{corrected}'.",),
    "U:VERB:TENSE|past": (
        "'{marker}' marks a finished time in the past: use the past simple, without '{original}'.",),
    "*:VERB:TENSE|future": ("'{marker}' is in the future: use '{corrected}'.",),
    "R:VERB:TENSE": ("Use another tense here: '{corrected}', not '{original}'.",),
    # verb forms: the word that asks for the form
    "*:VERB:FORM|base": ("After '{trigger}' use the base form '{corrected}'.",),
    "*:VERB:FORM|ing": ("After '{trigger}' use the -ing form '{corrected}'.",),
    "*:VERB:FORM|participle": ("After '{trigger}' use the past participle '{corrected}'.",),
    "*:VERB:FORM|to": ("After '{trigger}' use 'to' and the base form: '{corrected}'.",),
    "*:VERB:FORM": ("This verb needs another form here: '{corrected}', not '{original}'.",),
    "R:VERB:INFL": ("'{original}' is not an English word: this verb is irregular. Write '{corrected}'.",),
    "R:NOUN:INFL": ("'{original}' is not an English word: this noun does not follow the usual rule. "
                    "Write '{corrected}'.",),
    "R:MORPH": ("Right word family, wrong kind of word: this place in the sentence needs '{corrected}', "
                "not '{original}'.",),
    "R:ADJ:FORM": ("Use the right form of the adjective: '{corrected}'. Short adjectives take -er and -est, "
                   "long ones 'more' and 'most'.",),
    # articles: the noun they belong to
    "M:DET|indefinite": (
        "'{noun}' is a singular countable noun: it needs '{corrected}'.",
        "A singular countable noun needs an article: add '{corrected}'."),
    "M:DET|definite": (
        "'{noun}' is a particular one here, known to the reader: it needs 'the'.",
        "This noun is a particular one, known to the reader: add 'the'."),
    "M:DET": ("'{noun}' needs '{corrected}' in front of it.", "Add '{corrected}' here."),
    "U:DET|plural": ("'{noun}' is plural and means things in general here: it takes no '{original}'.",),
    "U:DET": ("'{noun}' needs no article here: delete '{original}'.", "Delete '{original}': no article here."),
    "R:DET": ("With '{noun}' use '{corrected}', not '{original}'.",
              "Use '{corrected}' here, not '{original}'."),
    # prepositions: the word they go with
    "R:PREP": ("With '{head}', English uses '{corrected}', not '{original}'.",
               "This needs a different preposition: '{corrected}', not '{original}'."),
    "M:PREP": ("'{head}' needs '{corrected}' before '{noun}'.", "Add the preposition '{corrected}' here."),
    "U:PREP": ("'{head}' takes '{noun}' directly, without '{original}'.",
               "Delete '{original}': no preposition is needed here."),
    # noun number: the word that sets it
    "R:NOUN:NUM|plural": ("After '{quantifier}' the noun is plural: '{corrected}'.",),
    "R:NOUN:NUM|singular": ("After '{quantifier}' the noun is singular: '{corrected}'.",),
    "R:NOUN:NUM": ("Check singular or plural: '{corrected}', not '{original}'.",),
    "R:NOUN:POSS": ("Use the possessive form: '{corrected}'.",),
    # punctuation, spelling, words added or missing, order
    "M:PUNCT": ("Add punctuation here: '{corrected}'.",),
    "U:PUNCT": ("Delete '{original}': this punctuation is not needed.",),
    "R:PUNCT": ("Use '{corrected}' here instead of '{original}'.",),
    "R:ORTH|capital": ("'{corrected}' is written with a capital letter here.",),
    "R:ORTH|small": ("'{corrected}' is written with a small letter here.",),
    "R:ORTH": ("Write it as '{corrected}': check the spaces and hyphens.",),
    "R:SPELL": ("'{original}' is misspelt. The correct spelling is '{corrected}'.",),
    "M:VERB": ("This sentence needs a verb here: add '{corrected}'.",),
    "U:VERB": ("Delete '{original}': the sentence does not need this verb.",),
    "R:WO": ("The words are in the wrong order. Say '{corrected}'.",),
    "R:PRON": ("Use the pronoun '{corrected}' here, not '{original}'.",),
    "M:PRON": ("English needs a pronoun here: add '{corrected}'.",),
    "U:PRON": ("Delete '{original}': the sentence already says who or what.",),
}


def code_explanation(code: str, original: str, corrected: str, evidence: Evidence,
                     evidence_only: bool = False) -> str | None:
    """The explanation of an edit of this ERRANT code, naming the evidence it has; None without a template
    (or, with `evidence_only`, without one that names some evidence)."""
    pos = code.partition(":")[2]
    if code.startswith("M:") and original and corrected.lower().endswith(" " + original.lower()):
        corrected = corrected[:-len(original)].strip()  # "apple" -> "an apple": what is missing is "an"
    variant = _variant(pos, original, corrected, evidence)
    keys = [code, f"*:{pos}"]
    if variant:
        keys = [f"{code}|{variant}", f"*:{pos}|{variant}", *keys]
    values = {"original": original, "corrected": corrected or "(delete it)", **evidence.known()}
    for key in keys:
        for template in CODE_TEMPLATES.get(key, ()):
            fields = fields_of(template)
            if fields <= values.keys() and (fields - ALWAYS_KNOWN or not evidence_only):
                return template.format(**values)
    return None


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def _variant(pos: str, original: str, corrected: str, evidence: Evidence) -> str:
    if pos == "VERB:SVA" and evidence.number == "singular" and evidence.subject.lower() in SINGULAR_PEOPLE:
        return "person"
    if pos == "VERB:TENSE":
        return evidence.time
    if pos == "VERB:FORM":
        return evidence.form
    if pos == "DET" and corrected.lower() in ("a", "an"):
        return "indefinite"
    if pos == "DET" and corrected.lower() == "the":
        return "definite"
    if pos == "ORTH" and original.lower() == corrected.lower():
        if corrected[:1].isupper() and not original[:1].isupper():
            return "capital"
        if original[:1].isupper() and not corrected[:1].isupper():
            return "small"
    return evidence.number
