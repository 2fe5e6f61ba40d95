"""Two detectors can propose the same change on different words; the learner hears of it once."""

from __future__ import annotations

from domain.analysis.errors import Detection, core_edit, without_duplicates

TEXT = "I am student at the university."


def detection(wrong: str, replacement: str, confidence: float, rule: str = "rules:x") -> Detection:
    start = TEXT.index(wrong)
    return Detection(start, start + len(wrong), replacement, rule, rule.split(":")[0], confidence)


def test_an_insertion_carried_by_the_word_before_or_after_is_one_change() -> None:
    before, after = detection("am", "am a", 0.5, "tagger:append"), detection("student", "a student", 0.7)
    assert core_edit(TEXT, before) == core_edit(TEXT, after) == (TEXT.index("student"),) * 2 + ("a",)
    assert without_duplicates(TEXT, [before, after]) == [after]


def test_different_changes_of_the_same_words_both_stay() -> None:
    article, plural = detection("student", "a student", 0.7), detection("student", "students", 0.6)
    assert core_edit(TEXT, plural) == (TEXT.index("student") + 7, TEXT.index("student") + 7, "s")
    assert without_duplicates(TEXT, [article, plural]) == [article, plural]
