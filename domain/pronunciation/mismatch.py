"""A recording of another text: what its assessment may still claim about the words of the reference."""

from __future__ import annotations

from dataclasses import replace

from domain.pronunciation.assessment import PronunciationAssessment, WordErrorKind, WordScore
from domain.pronunciation.feedback import common_issues, improvement_tips, words_to_practise
from domain.pronunciation.text import matched_in_order, words_of


def unheard_as_omitted(assessment: PronunciationAssessment, heard: str) -> PronunciationAssessment:
    """Each reference word the recogniser did not hear becomes an omission (accuracy 0, no phone scores),
    and the feedback is drawn again from the words that remain. The aligner places every reference word
    somewhere in the audio, so in a recording of another text a word's acoustic score measures whatever
    speech it was laid over: a learner told "game: 92" under a total of 0 is told something nobody heard."""
    reference = [i for i, w in enumerate(assessment.words) if w.error is not WordErrorKind.INSERTION]
    said = matched_in_order([_plain(assessment.words[i].text) for i in reference],
                            [w.lower() for w in words_of(heard)])
    unheard = {i for i, flag in zip(reference, said, strict=True) if not flag}
    words = tuple(_omitted(w) if i in unheard else w for i, w in enumerate(assessment.words))
    return replace(assessment, words=words, common_issues=tuple(common_issues(words)),
                   improvement_tips=tuple(improvement_tips(words)), words_to_practise=tuple(words_to_practise(words)))


def _plain(text: str) -> str:
    return " ".join(words_of(text)).lower()


def _omitted(word: WordScore) -> WordScore:
    if word.error is WordErrorKind.OMISSION:
        return word
    return replace(word, accuracy=0.0, error=WordErrorKind.OMISSION, phonemes=())
