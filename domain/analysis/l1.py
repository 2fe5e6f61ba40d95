"""Errors typical of a learner's first language, to tailor explanations (a small, conservative table)."""

from __future__ import annotations

from domain.analysis.errors import ErrorType

T = ErrorType

NAMES = {
    "polish": "pl", "russian": "ru", "ukrainian": "uk", "czech": "cs", "slovak": "sk", "serbian": "sr",
    "croatian": "hr", "bulgarian": "bg", "chinese": "zh", "mandarin": "zh", "cantonese": "zh", "japanese": "ja",
    "korean": "ko", "vietnamese": "vi", "thai": "th", "spanish": "es", "portuguese": "pt", "italian": "it",
    "french": "fr", "german": "de", "arabic": "ar", "turkish": "tr", "hindi": "hi", "persian": "fa", "farsi": "fa",
}
SLAVIC = ("pl", "ru", "uk", "cs", "sk", "sr", "hr", "bg")
EAST_ASIAN = ("zh", "ja", "ko", "vi", "th")
ROMANCE = ("es", "pt", "it", "fr")

NOTES: dict[str, dict[ErrorType, str]] = {}
for code in SLAVIC:
    NOTES.setdefault(code, {})[T.ARTICLE] = "Your first language has no articles, so 'a', 'an' and 'the' need " \
                                             "special attention."
for code in EAST_ASIAN:
    NOTES.setdefault(code, {}).update({
        T.ARTICLE: "Your first language has no articles, so 'a', 'an' and 'the' need special attention.",
        T.TENSE: "Your first language does not change the verb for past or present; in English the verb "
                 "itself must show the time.",
        T.AGREEMENT: "Your first language does not add -s to verbs; in English he, she and it take 'goes', "
                     "'likes', 'has'.",
    })
for code in ROMANCE:
    NOTES.setdefault(code, {}).update({
        T.PREPOSITION: "Prepositions rarely translate word for word from your first language: learn each "
                       "verb or adjective with its preposition.",
        T.WORD_ORDER: "In English an adverb does not go between the verb and its object.",
    })
NOTES.setdefault("de", {})[T.WORD_ORDER] = "English keeps the verb right after the subject, also in " \
                                          "subordinate clauses."
NOTES.setdefault("ar", {})[T.ARTICLE] = "Articles work differently in Arabic; check 'a', 'an' and 'the'."
NOTES.setdefault("tr", {})[T.ARTICLE] = "Turkish has no 'the'; check 'a', 'an' and 'the'."


def language_code(native_language: str | None) -> str | None:
    """'pl', 'pl-PL', 'Polish' -> 'pl'; None when not given."""
    if not native_language or not native_language.strip():
        return None
    value = native_language.strip().lower()
    if value in NAMES:
        return NAMES[value]
    return value.replace("_", "-").split("-")[0]


def l1_note(native_language: str | None, error_type: ErrorType) -> str | None:
    code = language_code(native_language)
    return NOTES.get(code, {}).get(error_type) if code else None
