"""The local assessor on real speech with the real model (no fakes)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from adapters.audio.decoder import ALL_FORMATS
from adapters.audio.decoder import decode_bytes as decode_any
from adapters.pronunciation.segmenting import sentence_chunks
from application.ports.speech import DecodedAudio
from domain.pronunciation.assessment import WordErrorKind
from tests.conftest import clip, without_word


def decode_bytes(data: bytes) -> DecodedAudio:
    return decode_any(data, ALL_FORMATS)


def test_a_well_read_sentence_scores_high_with_phone_detail(pronunciation_assessor) -> None:
    data, text = clip("001350219")
    result = pronunciation_assessor.assess(decode_bytes(data), text)

    assert result.scores.pronunciation >= 75 and result.scores.accuracy >= 75
    assert result.scores.completeness == 100.0
    assert [w.text for w in result.words] == text.split()
    assert all(w.error is WordErrorKind.NONE for w in result.words)
    talk = result.words[4]
    assert [p.expected for p in talk.phonemes] == ["T", "AO", "K"]
    assert talk.phonemes[1].expected_ipa == "ɔ" and 0 < talk.start < talk.end
    assert result.metrics.words_per_minute > 0 and result.engine.engine == "local-pocketsphinx"


def test_heard_confirms_most_sounds_of_a_well_read_sentence_and_claims_no_other_sound(pronunciation_assessor) -> None:
    """`heard` is the expected phone where the neural phone classifier names it, never another phone; against
    the same audio taken as another sentence, few sounds are confirmed."""
    data, text = clip("001350219")
    audio = decode_bytes(data)

    def heard(reference: str) -> list[str | None]:
        result = pronunciation_assessor.assess(audio, reference)
        phones = [p for w in result.words for p in w.phonemes]
        assert all(p.heard in (None, p.expected) for p in phones)
        return [p.heard for p in phones]

    confirmed = heard(text)
    other = heard("The quick brown fox jumps over the lazy dog.")
    assert sum(h is not None for h in confirmed) >= 0.6 * len(confirmed)
    assert sum(h is not None for h in other) <= 0.25 * max(1, len(other))


def test_a_word_cut_out_of_the_recording_is_an_omission(pronunciation_assessor) -> None:
    data, text = clip("001350219")
    for word in ("ONE", "ME", "TONIGHT"):
        cut = without_word(data, text, word, pronunciation_assessor)
        result = pronunciation_assessor.assess(decode_bytes(cut), text)
        omitted = [w.text for w in result.words if w.error is WordErrorKind.OMISSION]
        assert omitted == [word]
        assert result.scores.completeness < 100


def test_a_reading_whose_one_pass_alignment_fails_is_aligned_word_by_word(pronunciation_assessor) -> None:
    """A child's good reading (judges: 10 of 10 on every word) on which pocketsphinx's state-level pass over the
    whole sentence fails, though its word-level pass places every word: each word is then aligned on its own
    stretch of audio, instead of every word coming back omitted."""
    from adapters.pronunciation.acoustics import to_int16
    from adapters.pronunciation.sphinx import _align_all, dictionary_name

    data, text = clip("054240048")
    audio = decode_bytes(data)
    with pronunciation_assessor._models.decoder() as decoder:
        names = [dictionary_name(w) for w in text.split()]
        whole, word_level = _align_all(decoder, to_int16(audio.mono), names, [False] * 5, text.split())
    assert whole is None and len([w for w, _, _ in word_level if not w.startswith("<")]) == 5

    result = pronunciation_assessor.assess(audio, text)
    assert [w.text for w in result.words] == text.split()
    assert all(w.error is not WordErrorKind.OMISSION and w.phonemes for w in result.words)
    assert result.scores.completeness == 100.0 and result.scores.accuracy >= 60
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and not result.warnings


CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpora" / "speechocean762" / "train"


def corpus_clip(utt: str) -> tuple[bytes, str]:
    for line in (CORPUS / "labels.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["utt"] == utt:
            return (CORPUS / row["audio"]).read_bytes(), row["text"]
    raise KeyError(utt)


@pytest.mark.parametrize(("utt", "word"), [("001350180", "FISH"), ("001350219", "NO")])
def test_cut_words_the_squeeze_and_silence_rule_missed_are_omissions(pronunciation_assessor, utt: str,
                                                                     word: str) -> None:
    """Cut at the aligner's boundaries, the aligner lays these words over their neighbours' sounds at a
    plausible length: the calibrated decision (GOP, duration, the optional-word grammar), told that the
    recogniser heard every other word as the API tells it, finds them."""
    data, text = corpus_clip(utt)
    cut = without_word(data, text, word, pronunciation_assessor)
    heard = " ".join(w for w in text.split() if w.strip(".,?!").upper() != word)
    result = pronunciation_assessor.assess(decode_bytes(cut), text, heard)
    assert [w.text for w in result.words if w.error is WordErrorKind.OMISSION] == [word]


def test_accuracy_is_judged_over_every_word_the_learner_was_asked_to_read(pronunciation_assessor) -> None:
    """A learner who reads half the text does not get the accuracy of a full reading: accuracy cannot exceed
    the share of the reference's words that were said."""
    data, text = clip("001350219")
    full = pronunciation_assessor.assess(decode_bytes(data), text)
    half = pronunciation_assessor.assess(decode_bytes(data), text + " AND THEN THE ELEPHANT WALKED HOME SLOWLY")

    omitted = [w.text for w in half.words if w.error is WordErrorKind.OMISSION]
    assert omitted == ["AND", "THEN", "THE", "ELEPHANT", "WALKED", "HOME", "SLOWLY"]
    assert half.scores.completeness == round(100 * 8 / 15, 1)
    assert full.scores.accuracy > 60 and half.scores.accuracy <= half.scores.completeness


def test_long_recordings_are_cut_into_sentences(pronunciation_assessor) -> None:
    first, first_text = clip("001350219")
    second, second_text = clip("001350180")
    audio = DecodedAudio(np.concatenate([decode_bytes(first).mono, decode_bytes(second).mono])[None, :], 16_000)
    text = f"{first_text.capitalize()}. {second_text.capitalize()}."

    chunks = sentence_chunks(pronunciation_assessor._models, audio, text, long_seconds=1.0)

    assert [t for _, t in chunks] == [first_text.capitalize() + ".", second_text.capitalize() + "."]
    assert abs(len(chunks[0][0]) / 16_000 - decode_bytes(first).duration) < 0.6


def test_what_the_recogniser_heard_decides_which_words_were_said(pronunciation_assessor) -> None:
    """Scored with what a recogniser heard in the same recording (as the API does): a cut word it did not
    hear is omitted; a word it heard is said whatever the alignment thinks; a well-read word it missed is
    weighed by the acoustics, not reported omitted for that alone."""
    data, text = clip("001350219")
    without_me = " ".join(w for w in text.split() if w != "ME")
    cut = decode_bytes(without_word(data, text, "ME", pronunciation_assessor))

    def omitted(heard: str, audio: DecodedAudio) -> list[str]:
        result = pronunciation_assessor.assess(audio, text, heard)
        return [w.text for w in result.words if w.error is WordErrorKind.OMISSION]

    assert omitted(without_me, cut) == ["ME"]
    assert omitted(text, cut) == []
    assert omitted(without_me, decode_bytes(data)) == []


def test_a_recording_is_measured_the_same_whatever_the_decoder_measured_before() -> None:
    """PocketSphinx's feature computation keeps state from one recording to the next (its live cepstral mean,
    which `set_cmn` does not fully restore): without `reinit_feat` on every checkout, the optional-word grammar
    skipped 'IT' or 'ABOUT' here depending on the reading heard before, and the very first measurement of a new
    decoder aligned 'I' over 7 frames where later ones gave 33."""
    from adapters.pronunciation.acoustics import measure
    from adapters.pronunciation.dataset import read_audio, read_labels
    from adapters.pronunciation.sphinx import SphinxModels
    from domain.pronunciation.text import words_of

    first, other = read_labels(CORPUS / "labels.jsonl")[:2]
    models = SphinxModels(1)
    before = measure(models, read_audio(first.audio), words_of(first.text))
    measure(models, read_audio(other.audio), words_of(other.text))
    assert measure(models, read_audio(first.audio), words_of(first.text)) == before
