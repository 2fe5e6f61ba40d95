"""The one mapping from detector categories (ERRANT codes, rule ids) to learner-facing error types,
severities and plain-language explanations."""

from __future__ import annotations

from dataclasses import dataclass

from domain.analysis.errors import ErrorType, Evidence, Severity
from domain.analysis.explanations import code_explanation

T = ErrorType
NO_EVIDENCE = Evidence()


@dataclass(frozen=True)
class RuleInfo:
    """`prefer_evidence`: where the parse gave the evidence (the subject, the auxiliary), the ERRANT code's
    template that names it (domain.analysis.explanations) replaces this rule's general explanation."""

    type: ErrorType
    severity: Severity
    explanation: str
    prefer_evidence: bool = False


# ERRANT's part-of-speech part of a code (`R:VERB:TENSE` -> `VERB:TENSE`) to a learner type.
ERRANT_TYPES: dict[str, ErrorType] = {
    "DET": T.ARTICLE,
    "PREP": T.PREPOSITION,
    "VERB:TENSE": T.TENSE,
    "VERB:SVA": T.AGREEMENT,
    "VERB:FORM": T.GRAMMAR,
    "VERB:INFL": T.WORD_FORM,
    "NOUN:INFL": T.WORD_FORM,
    "MORPH": T.WORD_FORM,
    "ADJ:FORM": T.GRAMMAR,
    "NOUN:NUM": T.GRAMMAR,
    "NOUN:POSS": T.GRAMMAR,
    "SPELL": T.SPELLING,
    "ORTH": T.SPELLING,
    "PUNCT": T.PUNCTUATION,
    "WO": T.WORD_ORDER,
    "PRON": T.GRAMMAR,
    "CONJ": T.GRAMMAR,
    "PART": T.GRAMMAR,
    "CONTR": T.GRAMMAR,
    "NOUN": T.VOCABULARY,
    "VERB": T.VOCABULARY,
    "ADJ": T.VOCABULARY,
    "ADV": T.VOCABULARY,
    "OTHER": T.FLUENCY,
    "UNK": T.GRAMMAR,
}

SEVERITY: dict[ErrorType, Severity] = {
    T.GRAMMAR: Severity.MODERATE,
    T.VOCABULARY: Severity.MODERATE,
    T.SPELLING: Severity.MINOR,
    T.TENSE: Severity.MODERATE,
    T.ARTICLE: Severity.MINOR,
    T.PREPOSITION: Severity.MINOR,
    T.AGREEMENT: Severity.MODERATE,
    T.WORD_ORDER: Severity.MAJOR,
    T.WORD_FORM: Severity.MODERATE,
    T.PUNCTUATION: Severity.MINOR,
    T.CAPITALISATION: Severity.MINOR,
    T.COLLOCATION: Severity.MINOR,
    T.FLUENCY: Severity.MINOR,
    T.PRONUNCIATION: Severity.MODERATE,
}

EXPLANATIONS: dict[ErrorType, str] = {
    T.GRAMMAR: "This part of the sentence is not grammatical. Write '{corrected}' instead of '{original}'.",
    T.VOCABULARY: "'{original}' is not the right word here; '{corrected}' fits the meaning better.",
    T.SPELLING: "'{original}' is misspelt. The correct spelling is '{corrected}'.",
    T.TENSE: "The verb tense does not match the time you are talking about. Use '{corrected}'.",
    T.ARTICLE: "Check the article (a, an, the) here: write '{corrected}' instead of '{original}'.",
    T.PREPOSITION: "This word needs a different preposition: '{corrected}', not '{original}'.",
    T.AGREEMENT: "The verb must agree with its subject: use '{corrected}' instead of '{original}'.",
    T.WORD_ORDER: "The words are in the wrong order. Say '{corrected}'.",
    T.WORD_FORM: "This is the wrong form of the word. Use '{corrected}'.",
    T.PUNCTUATION: "Check the punctuation here: '{corrected}'.",
    T.CAPITALISATION: "This word needs a different capital letter: '{corrected}'.",
    T.COLLOCATION: "English speakers say '{corrected}', not '{original}'.",
    T.FLUENCY: "This sounds more natural as '{corrected}'.",
    T.PRONUNCIATION: "This word was pronounced differently from '{corrected}'.",
}

# Our own spaCy rules and the Harper rules we keep, with what a learner needs to hear about each.
RULES: dict[str, RuleInfo] = {
    "rules:article.missing_after_be": RuleInfo(
        T.ARTICLE, Severity.MINOR,
        "A singular job or thing after 'am/is/are' needs 'a' or 'an': '{corrected}'."),
    "rules:article.missing_before_object": RuleInfo(
        T.ARTICLE, Severity.MINOR,
        "A singular countable noun needs an article: '{corrected}' (or the plural for things in general)."),
    "rules:article.the_unique": RuleInfo(
        T.ARTICLE, Severity.MINOR, "There is only one, so it takes 'the': '{corrected}'."),
    "rules:article.missing_after_preposition": RuleInfo(
        T.ARTICLE, Severity.MINOR,
        "A singular countable noun needs an article, also after a preposition: '{corrected}'."),
    "rules:article.a_an": RuleInfo(
        T.ARTICLE, Severity.MINOR, "Use 'an' before a vowel sound and 'a' before a consonant sound: '{corrected}'."),
    "rules:tense.past_time_marker": RuleInfo(
        T.TENSE, Severity.MODERATE,
        "The sentence talks about the past ('{marker}'), so the verb must be in the past: '{corrected}'."),
    "rules:tense.perfect_past_time_marker": RuleInfo(
        T.TENSE, Severity.MODERATE,
        "'{marker}' is a finished time, so use the past simple, not the present perfect: '{corrected}'."),
    "rules:agreement.past_be": RuleInfo(
        T.AGREEMENT, Severity.MODERATE,
        "In the past, 'I', 'he', 'she' and 'it' take 'was'; 'we', 'you' and 'they' take 'were': '{corrected}'.",
        prefer_evidence=True),
    "rules:noun_form.irregular_plural": RuleInfo(
        T.GRAMMAR, Severity.MINOR,
        "This noun has an irregular plural: '{corrected}', with no -s."),
    "rules:tense.narrative_past": RuleInfo(
        T.TENSE, Severity.MODERATE,
        "The story around this verb is in the past, so this verb should be too: '{corrected}'."),
    "rules:agreement.third_person": RuleInfo(
        T.AGREEMENT, Severity.MODERATE,
        "With he, she, it or one person or thing, the present verb ends in -s: '{corrected}'.",
        prefer_evidence=True),
    "rules:agreement.plural_subject": RuleInfo(
        T.AGREEMENT, Severity.MODERATE, "With a plural subject, the present verb has no -s: '{corrected}'.",
        prefer_evidence=True),
    "rules:verb_form.after_auxiliary": RuleInfo(
        T.GRAMMAR, Severity.MODERATE,
        "After do/does/did and after modal verbs (can, must, will...) use the base form of the verb: "
        "'{corrected}'.", prefer_evidence=True),
    "rules:verb_form.modal_to": RuleInfo(
        T.GRAMMAR, Severity.MODERATE, "Modal verbs like can, must and should are not followed by 'to': '{corrected}'."),
    "rules:verb_form.be_agree": RuleInfo(
        T.GRAMMAR, Severity.MODERATE,
        "'Agree' is a verb in English, so it does not need 'am/is/are': say '{corrected}'."),
    "rules:countability.uncountable_plural": RuleInfo(
        T.GRAMMAR, Severity.MINOR,
        "'{corrected}' is uncountable in English: it has no plural form. Say 'some {corrected}' or "
        "'a piece of {corrected}'."),
    "rules:preposition.dependent": RuleInfo(
        T.PREPOSITION, Severity.MINOR, "In English we say '{corrected}', with this preposition."),
    "rules:preposition.explain_to": RuleInfo(
        T.PREPOSITION, Severity.MINOR,
        "We explain something to someone: '{corrected}'. The same goes for say, describe and suggest."),
    "rules:preposition.needless": RuleInfo(
        T.PREPOSITION, Severity.MINOR, "This verb takes its object directly, without a preposition: '{corrected}'."),
    "rules:comparative.more_short_adjective": RuleInfo(
        T.GRAMMAR, Severity.MINOR, "Short adjectives make the comparative with -er, not 'more': '{corrected}'."),
    "rules:comparative.double": RuleInfo(
        T.GRAMMAR, Severity.MINOR, "'{corrected}' is already a comparative; do not add 'more'."),
    "rules:comparative.than": RuleInfo(
        T.GRAMMAR, Severity.MINOR, "Before 'than', use the comparative form: '{corrected}'."),
    "rules:word_order.adverb_object": RuleInfo(
        T.WORD_ORDER, Severity.MODERATE,
        "Do not put an adverb between a verb and its object: '{corrected}'."),
    "rules:capitalisation.proper_name": RuleInfo(
        T.CAPITALISATION, Severity.MINOR,
        "Days, months, languages and nationalities start with a capital letter in English: '{corrected}'."),
    "rules:collocation.verb_noun": RuleInfo(
        T.COLLOCATION, Severity.MINOR, "English speakers say '{corrected}', not '{original}'."),
    "harper:SpellCheck": RuleInfo(T.SPELLING, Severity.MINOR, EXPLANATIONS[T.SPELLING]),
    "harper:MassNouns": RuleInfo(
        T.GRAMMAR, Severity.MINOR, "'{corrected}' is uncountable in English: it has no plural form."),
    "harper:DidPast": RuleInfo(
        T.GRAMMAR, Severity.MODERATE, "After did or didn't, use the base form of the verb: '{corrected}'.",
        prefer_evidence=True),
    "harper:PronounVerbAgreement": RuleInfo(
        T.AGREEMENT, Severity.MODERATE, "The verb must agree with its subject: '{corrected}'.",
        prefer_evidence=True),
    "harper:AdjectiveDoubleDegree": RuleInfo(
        T.GRAMMAR, Severity.MINOR, "'{corrected}' is already a comparative or superlative; drop 'more'/'most'."),
    "harper:CapitalizePersonalPronouns": RuleInfo(
        T.CAPITALISATION, Severity.MINOR, "'I' is always a capital letter in English."),
    "harper:SentenceCapitalization": RuleInfo(
        T.CAPITALISATION, Severity.MINOR, "A sentence starts with a capital letter: '{corrected}'."),
    "harper:AnA": RuleInfo(
        T.ARTICLE, Severity.MINOR, "Use 'an' before a vowel sound and 'a' before a consonant sound: '{corrected}'."),
}


def errant_pos(code: str) -> str:
    """`R:VERB:TENSE` -> `VERB:TENSE`; `M:DET` -> `DET`."""
    return code.split(":", 1)[1] if ":" in code else code


def learner_type(rule: str, errant_code: str | None, original: str, corrected: str) -> ErrorType:
    """The rule's own type when we know it; else ERRANT's code; else grammar."""
    if rule in RULES:
        return RULES[rule].type
    if errant_code is None:
        return T.GRAMMAR
    pos = errant_pos(errant_code)
    if pos == "ORTH" and original.lower() == corrected.lower():
        return T.CAPITALISATION
    return ERRANT_TYPES.get(pos, T.GRAMMAR)


def severity_of(rule: str, errant_code: str | None, error_type: ErrorType) -> Severity:
    if rule in RULES:
        return RULES[rule].severity
    if errant_code is not None and errant_code.startswith("M:") and errant_pos(errant_code) in ("VERB", "NOUN"):
        return Severity.MAJOR  # a missing verb or noun leaves the sentence hard to understand
    return SEVERITY[error_type]


def explanation_of(rule: str, error_type: ErrorType, original: str, corrected: str, errant_code: str | None = None,
                   evidence: Evidence = NO_EVIDENCE, **details: str) -> str:
    """The rule's own explanation; else the ERRANT code's, naming the evidence; else the learner type's."""
    info = RULES.get(rule)
    if errant_code is not None and (info is None or info.prefer_evidence):
        by_code = code_explanation(errant_code, original, corrected, evidence, evidence_only=info is not None)
        if by_code is not None:
            return by_code
    values = {"original": original, "corrected": corrected or "(delete it)", "marker": "", **details}
    return (info.explanation if info is not None else EXPLANATIONS[error_type]).format(**values)
