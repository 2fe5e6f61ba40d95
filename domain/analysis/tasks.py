"""A catalogue of practice tasks keyed by error type and CEFR level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.analysis.errors import ErrorType
from domain.cefr.scale import CefrLevel

T = ErrorType
L = CefrLevel


@dataclass(frozen=True)
class PracticeTask:
    id: str
    title: str
    why: str
    example: str
    level: CefrLevel
    targets: tuple[ErrorType, ...]


CATALOGUE: tuple[PracticeTask, ...] = (
    PracticeTask("articles-jobs", "A or an with jobs and things", "You left out 'a'/'an' before singular nouns.",
                 "I am a student. She has an umbrella.", L.A1, (T.ARTICLE,)),
    PracticeTask("articles-the", "When to use 'the'", "Choosing between a, the and no article is still hard.",
                 "I saw a film. The film was long.", L.B1, (T.ARTICLE,)),
    PracticeTask("past-simple", "Tell a story about yesterday", "Your verbs stayed in the present when you "
                 "talked about the past.", "Yesterday I went to the park and met a friend.", L.A2, (T.TENSE,)),
    PracticeTask("tenses-mixed", "Past simple or present perfect?", "Tense choice changes what you mean.",
                 "I have lived here since 2010. I moved here in 2010.", L.B1, (T.TENSE,)),
    PracticeTask("third-person-s", "He, she, it: add -s", "Verbs after he, she, it or one person need -s.",
                 "My brother likes football. She goes to work by bus.", L.A1, (T.AGREEMENT,)),
    PracticeTask("agreement-complex", "Agreement with long subjects", "Find the real subject before the verb.",
                 "The quality of the products is good.", L.B2, (T.AGREEMENT,)),
    PracticeTask("verb-after-modals", "Verbs after can, must, did", "After modals and did the verb has no "
                 "ending and no 'to'.", "I can swim. I didn't go.", L.A2, (T.GRAMMAR, T.WORD_FORM)),
    PracticeTask("uncountable-nouns", "Uncountable nouns", "Some nouns have no plural in English.",
                 "Can you give me some information and advice?", L.A2, (T.GRAMMAR,)),
    PracticeTask("dependent-prepositions", "Verbs and adjectives with prepositions", "Learn each word with its "
                 "preposition.", "married to, interested in, depend on, good at", L.B1, (T.PREPOSITION,)),
    PracticeTask("prepositions-time-place", "In, on, at", "Prepositions of time and place are still mixed up.",
                 "on Monday, in July, at night, on the internet", L.A2, (T.PREPOSITION,)),
    PracticeTask("word-order-adverbs", "Where adverbs go", "Adverbs do not go between the verb and its object.",
                 "I always go to school. I like football very much.", L.A2, (T.WORD_ORDER,)),
    PracticeTask("comparatives", "Comparing things", "Short adjectives take -er, long ones take 'more'.",
                 "bigger than, more beautiful than, better than", L.A2, (T.GRAMMAR,)),
    PracticeTask("spelling-lists", "Spelling of common words", "A few common words were misspelt.",
                 "friend, because, beautiful, different", L.A1, (T.SPELLING,)),
    PracticeTask("capital-letters", "Capital letters", "Names, days, months and languages take capitals.",
                 "I speak English on Mondays in London.", L.A1, (T.CAPITALISATION,)),
    PracticeTask("punctuation-sentences", "Full stops and commas", "Long sentences joined with commas are hard "
                 "to read.", "I was tired. However, I finished my work.", L.B1, (T.PUNCTUATION,)),
    PracticeTask("collocations", "Words that go together", "Some verbs go with particular nouns.",
                 "do homework, make a mistake, take a photo", L.B1, (T.COLLOCATION, T.VOCABULARY)),
    PracticeTask("word-families", "Word families", "Choose the right form: noun, verb, adjective or adverb.",
                 "success, succeed, successful, successfully", L.B2, (T.WORD_FORM, T.VOCABULARY)),
    PracticeTask("linking-ideas", "Linking ideas", "Linking words make longer texts easy to follow.",
                 "although, however, therefore, as a result", L.B2, (T.FLUENCY,)),
    PracticeTask("precise-vocabulary", "Precise vocabulary", "Use less common, more exact words.",
                 "a significant increase, a reliable source", L.C1, (T.VOCABULARY, T.FLUENCY)),
)


def recommend(counts: Sequence[tuple[ErrorType, int]], level: CefrLevel | None, limit: int = 3) -> list[PracticeTask]:
    """Tasks for the most frequent error types, nearest the learner's level (at or just above it first)."""
    rank = level.rank if level is not None else L.B1.rank
    chosen: list[PracticeTask] = []
    for error_type, _ in sorted(counts, key=lambda item: -item[1]):
        candidates = [t for t in CATALOGUE if error_type in t.targets and t not in chosen]
        candidates.sort(key=lambda t: (abs(t.level.rank - rank) + (0.5 if t.level.rank < rank else 0), t.id))
        if candidates:
            chosen.append(candidates[0])
        if len(chosen) == limit:
            break
    if not chosen:
        stretch = [t for t in CATALOGUE if t.level.rank >= min(rank + 1, L.C1.rank)]
        chosen = stretch[:1]
    return chosen
