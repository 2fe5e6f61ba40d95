"""Feature extraction on a real parse."""

from __future__ import annotations

from adapters.cefr.features import extract
from adapters.cefr.model import load_spacy
from adapters.cefr.profiles import default_lexicon
from adapters.cefr.text import prepare
from domain.cefr.assessment import TextKind


def _values(text: str) -> dict[str, float]:
    prepared = prepare(text, TextKind.WRITTEN)
    return extract(load_spacy()(prepared.text), prepared, default_lexicon()).values


def test_grammar_errors_found_by_the_analysis_rules_are_counted_per_100_words() -> None:
    wrong = _values("Yesterday he go to the school and she have a apple. They was happy.")
    right = _values("Yesterday he went to the school and she had an apple. They were happy.")
    assert wrong["grammar_errors_per_100"] > right["grammar_errors_per_100"]
    assert right["grammar_errors_per_100"] == 0.0


PER_SENTENCE = frozenset({"mean_sentence_length", "sentence_length_p90", "parse_depth", "parse_depth_p90"})


def test_the_features_a_new_model_reads_do_not_grow_when_a_text_is_repeated() -> None:
    """A learner's text twice over is no better English: every value a newly trained model reads stays
    close (length itself aside, capped at 150 words). Not yet on speech for the per-sentence values: an
    unpunctuated transcript is one long "sentence" to the parser, so they double with it; the per-clause
    values are the length-free measure there (BENCHMARKS.md, CEFR, issue 20)."""
    from adapters.cefr.training import EXCLUDED_FEATURES
    from tests.integration.cefr.conftest import essays_at

    essay = " ".join(essays_at("B1", 1, min_words=150)[0].split()[:150])
    spoken = " ".join("".join(c for c in essay.lower() if c.isalnum() or c in " '").split())
    for text, kind in ((essay, TextKind.WRITTEN), (spoken, TextKind.SPOKEN)):
        once, twice = (prepare(t, kind) for t in (text, f"{text} {text}"))
        nlp = load_spacy()
        one = extract(nlp(once.text), once, default_lexicon()).values
        two = extract(nlp(twice.text), twice, default_lexicon()).values
        read = [name for name in one if name not in EXCLUDED_FEATURES and name != "log_words"]
        if kind is TextKind.SPOKEN:
            read = [name for name in read if name not in PER_SENTENCE and not name.endswith("_per_sentence")]
        grown = {n: (one[n], two[n]) for n in read if two[n] > one[n] * 1.25 + 0.1}
        assert not grown, (kind, grown)
        assert two["window_structure_types"] <= one["window_structure_types"] * 1.25
