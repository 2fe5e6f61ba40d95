"""The offline checker's work is bounded whatever the text: distinct findings are capped with a warning,
identical ones are typed once, a run-on "sentence" is typed in windows."""

from __future__ import annotations

from typing import Any

from wordfreq import top_n_list

from adapters.analysis.checker import MAX_FINDINGS, shown_finding


def misspelt_text(characters: int = 9_900) -> str:
    """Short sentences, each with a different misspelt common word ("The poeple is here.")."""
    words = [w for w in top_n_list("en", 5000) if w.isalpha() and 6 <= len(w) <= 8]
    text = ""
    for word in words:
        sentence = f"The {word[0]}{word[2]}{word[1]}{word[3:]} is here. "
        if len(text) + len(sentence) > characters:
            break
        text += sentence
    return text


def finding(detection: Any, text: str) -> tuple[str, str, str]:
    return detection.rule, text[detection.start:detection.end], detection.replacement


def test_more_different_errors_than_the_cap_are_reported_up_to_it_with_a_warning(analysis_engine: Any) -> None:
    text = misspelt_text()
    report = analysis_engine.checker.check_sync(text)
    # as the learner sees them: an explanation naming its evidence ("'The pionts' is more than one") is its own
    assert len({shown_finding(d, text) for d in report.detections}) == MAX_FINDINGS
    # the first ones in text order: no new misspelling is reported near the end (a repeated finding is)
    assert max(d.start for d in report.detections if d.rule == "harper:SpellCheck") < len(text) - 1_000
    (warning,) = report.warnings
    assert f"more than {MAX_FINDINGS} different errors" in warning


def test_every_place_of_a_finding_in_a_run_on_sentence_is_typed(analysis_engine: Any) -> None:
    text = "Yesterday I eat rice and he go home and " * 60 + "that is all."
    report = analysis_engine.checker.check_sync(text)
    by_finding: dict[tuple[str, str, str], list[Any]] = {}
    for detection in report.detections:
        by_finding.setdefault(finding(detection, text), []).append(detection)
    assert len(by_finding[("rules:tense.past_time_marker", "eat", "ate")]) == 60
    assert {d.errant_code for d in by_finding[("rules:tense.past_time_marker", "eat", "ate")]} == {"R:VERB:TENSE"}
