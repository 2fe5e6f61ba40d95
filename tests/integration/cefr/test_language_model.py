"""The trigram language model's view of each word, with the model that ships inside pocketsphinx."""

from __future__ import annotations

import pytest

from adapters.cefr.language_model import conditional, lm_features, model_words, unigram
from adapters.cefr.model import load_spacy


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_spacy()


def _tokens(text: str, nlp):  # type: ignore[no-untyped-def]
    return [t for t in nlp(text) if not t.is_space]


def _band(text: str, word: str, prefix: str, nlp) -> int:  # type: ignore[no-untyped-def]
    """The band of the feature `prefix...` of `word` in `text` (the number after the prefix)."""
    tokens = _tokens(text, nlp)
    features = lm_features(tokens)[[t.text for t in tokens].index(word)]
    (found,) = [f for f in features if f.startswith(prefix)]
    return int(found[len(prefix) :].split("|")[0])


def test_the_model_reads_words_with_their_clitics_and_starts_again_after_a_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    tokens = _tokens("I don't like it. She's nice, isn't she?", nlp)
    words, owner = model_words(tokens)
    assert words == ["<s>", "i", "don't", "like", "it", "<s>", "she's", "nice", "isn't", "she", "<s>"]
    texts = [t.text for t in tokens]
    assert owner[texts.index("do")] == owner[texts.index("n't")] == 2  # "don't"
    assert owner[texts.index(".")] is None and owner[texts.index(",")] is None


def test_a_word_in_a_likely_context_scores_higher_than_in_an_unlikely_one() -> None:
    assert conditional("goes", "he", "<s>") > conditional("go", "he", "<s>")
    assert conditional("go", "to", "want") > conditional("going", "to", "want")
    assert unigram("information") > unigram("informations") > -100 > unigram("frend")


def test_a_wrong_inflection_is_a_swap_away_from_a_likelier_text(nlp) -> None:  # type: ignore[no-untyped-def]
    wrong = _band("He go to school every day.", "go", "lma=infl|", nlp)
    right = _band("He goes to school every day.", "goes", "lma=infl|", nlp)
    assert wrong > right
    assert wrong > 0  # some other form of "go" makes the sentence likelier
    assert _band("I am agree with you.", "agree", "lmc=", nlp) < _band("I agree with you.", "agree", "lmc=", nlp)


def test_a_confusable_word_unknown_words_and_punctuation(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _band("I am interesting in music.", "interesting", "lma=conf|", nlp) > _band(
        "I am interested in music.", "interested", "lma=conf|", nlp
    )
    tokens = _tokens("My frend is nice.", nlp)
    features = lm_features(tokens)
    assert features[1] == ["lmoov|NN"]  # "frend": the model does not know it
    assert features[-1] == []  # the full stop
