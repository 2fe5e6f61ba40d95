"""Moonshine base-en (the default recogniser) on the committed clips: words, numbers, confidences, timings."""

from __future__ import annotations

import itertools
import json
import re
import statistics

import numpy as np

from adapters.audio.decoder import PyAvDecoder
from adapters.inference.scheduler import InferenceScheduler
from adapters.pronunciation.sphinx import SphinxModels
from adapters.speech.moonshine import (
    MoonshineRecognizer,
    as_written,
    speech_runs,
    stretches,
    token_words,
    with_context,
)
from adapters.speech.moonshine_decoding import Decoded, decode_batch
from adapters.speech.moonshine_models import (
    END_OF_TEXT,
    START,
    MoonshineModel,
    MoonshineModelManager,
    package_model_dir,
    read_vocabulary,
)
from application.ports.speech import RecognitionOptions
from application.transcription_evaluation import normalise_text, word_error_rate
from application.use_cases.pronunciation import MISMATCH_SIMILARITY, PLAUSIBLE_READING, reading_recognition
from application.use_cases.transcribe import TranscribeCommand
from domain.pronunciation.text import reading_similarity
from tests.conftest import PRONUNCIATION_CLIPS
from tests.support.transcription import DATA, FORMATS, TranscribeFactory

READINGS = [json.loads(line) for line in (DATA / "transcription.jsonl").read_text().splitlines()]
SECOND = 16_000


def test_the_vocabulary_comes_from_the_wheel() -> None:
    pieces = read_vocabulary(package_model_dir() / "tokenizer.bin")
    assert len(pieces) == 32_000
    assert pieces[:3] == [b"<unk>", b"<s>", b"</s>"]
    assert "\u2581the".encode() in pieces


def test_long_speech_is_cut_into_stretches_the_model_takes() -> None:
    # one 50 s run without a pause, then speech after a 3 s pause
    chunks = [{"start": 0, "end": 50 * SECOND}, {"start": 53 * SECOND, "end": 55 * SECOND}]
    parts = stretches(chunks, max_seconds=20)
    assert [p.end - p.start <= 20 * SECOND for p in parts] == [True] * len(parts)
    assert parts[0].start == 0 and parts[-1].end == 55 * SECOND
    assert len(parts) == 4  # 50 s in three equal parts; the speech after the pause on its own
    assert all(a.end <= b.start for a, b in itertools.pairwise(parts))


def test_context_around_a_stretch_stops_halfway_to_its_neighbour() -> None:
    chunks = [{"start": 1 * SECOND, "end": 3 * SECOND}, {"start": 6 * SECOND, "end": 7 * SECOND},
              {"start": 7 * SECOND + 3_200, "end": 9 * SECOND}]
    parts = with_context(stretches(chunks, max_gap=2.0), 9 * SECOND)
    assert [(p.start, p.end) for p in parts] == [
        (int(0.7 * SECOND), int(3.3 * SECOND)), (int(5.7 * SECOND), 9 * SECOND)]
    parts = with_context(stretches(chunks, max_gap=0.1), 9 * SECOND)
    assert parts[1].end == parts[2].start == 7 * SECOND + 1_600  # 0.2 s apart: each gets half


async def test_a_one_word_answer_is_not_decoded_as_nothing(
    moonshine_models: MoonshineModelManager, sphinx_aligner: SphinxModels
) -> None:
    """A child saying "car" (2 s): left alone, greedy decoding ends before the first word."""
    runner = InferenceScheduler(workers=1, timeout_seconds=120)
    audio = await PyAvDecoder(runner, FORMATS).decode((DATA / "001310148.flac").read_bytes())
    model = moonshine_models.get()
    (part,) = with_context(stretches(speech_runs(audio.mono)), audio.channels.shape[1])
    assert _first_choice(model, audio.mono[part.start : part.end]) == END_OF_TEXT
    recognition = await MoonshineRecognizer(moonshine_models, runner, sphinx_aligner).recognize(
        audio, RecognitionOptions())
    assert len(recognition.words) == 1, recognition.text  # heard as one word ("tear": a child's accent)
    assert all(w.start < w.end for w in recognition.words)


def test_the_decoder_may_write_only_latin_letters(moonshine_models: MoonshineModelManager) -> None:
    import unicodedata

    model = moonshine_models.get()
    blocked = set(model.blocked)
    vocabulary = model.vocabulary

    def latin(token: int) -> bool:
        text = vocabulary.piece(token).decode("utf-8", "replace")
        return "\ufffd" not in text and all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())

    assert 4_000 < len(blocked) < 5_000
    assert all(not latin(t) for t in blocked)
    assert all(latin(t) for t in range(len(vocabulary)) if t not in blocked)
    assert vocabulary.pieces.index("\u2581the".encode()) not in blocked
    assert vocabulary.pieces.index("\u2581d\u00e9".encode()) not in blocked  # accented Latin stays


async def test_a_reading_it_mishears_is_still_a_likely_transcript_and_another_text_is_not(
    moonshine_models: MoonshineModelManager, sphinx_aligner: SphinxModels
) -> None:
    """A child's "THEN THEY LET HER BE" (judged 9 of 10), which greedy decoding hears as other words: read
    by the decoder, the reference is likely; a sentence nobody said there is not (`PLAUSIBLE_READING`)."""
    runner = InferenceScheduler(workers=1, timeout_seconds=120)
    audio = await PyAvDecoder(runner, FORMATS).decode((PRONUNCIATION_CLIPS / "030490126.flac").read_bytes())
    recognizer = MoonshineRecognizer(moonshine_models, runner, sphinx_aligner)
    heard = await recognizer.recognize(audio, reading_recognition("en"))
    assert reading_similarity("THEN THEY LET HER BE", heard.text) < MISMATCH_SIMILARITY, heard.text

    read = await recognizer.reading_likelihood(audio, "THEN THEY LET HER BE")
    other = await recognizer.reading_likelihood(audio, "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG")

    assert read is not None and other is not None
    assert other < PLAUSIBLE_READING <= read


def test_a_reference_is_written_as_the_decoder_writes_a_sentence(moonshine_models: MoonshineModelManager) -> None:
    vocabulary = moonshine_models.get().vocabulary
    assert as_written("JOHN CAN'T SEE, I THINK, THE SHEEP") == " John can't see I think the sheep."
    assert vocabulary.decode(vocabulary.encode(" John can't see the sheep.")) == " John can't see the sheep."


def _first_choice(model: MoonshineModel, samples: np.ndarray) -> int:
    """The token the decoder ranks first at its first step."""
    hidden = model.encoder.run(None, {"input_values": samples[None]})[0]
    past = {n: np.zeros((1, 8, 0, 52), dtype=np.float32) for n in model.decoder_inputs if n.startswith("past")}
    logits = model.decoder.run(None, {"input_ids": np.array([[START]]), "encoder_hidden_states": hidden,
                                      "use_cache_branch": np.array([False]), **past})[0]
    return int(logits[0, -1].argmax())


async def test_words_wanted_without_alignment_are_the_same_words_spread_over_the_speech(
    moonshine_models: MoonshineModelManager, sphinx_aligner: SphinxModels
) -> None:
    runner = InferenceScheduler(workers=1, timeout_seconds=120)
    audio = await PyAvDecoder(runner, FORMATS).decode((DATA / "numbers.ogg").read_bytes())
    recognizer = MoonshineRecognizer(moonshine_models, runner, sphinx_aligner)
    aligned = await recognizer.recognize(audio, RecognitionOptions(verbatim=False))
    spread = await recognizer.recognize(audio, RecognitionOptions(verbatim=False, aligned_words=False))
    assert spread.text == aligned.text and spread.words
    assert all(w.start < w.end for w in spread.words)
    assert [w.start for w in spread.words] != [w.start for w in aligned.words]  # not aligned: spread


async def test_numbers_are_words_when_spelled_and_digits_when_formatted(
    moonshine_models: MoonshineModelManager, sphinx_aligner: SphinxModels
) -> None:
    runner = InferenceScheduler(workers=1, timeout_seconds=120)
    audio = await PyAvDecoder(runner, FORMATS).decode((DATA / "numbers.ogg").read_bytes())
    recognizer = MoonshineRecognizer(moonshine_models, runner, sphinx_aligner)  # "... is 12 years old ... 3 cats."
    formatted = await recognizer.recognize(audio, RecognitionOptions(verbatim=False))
    spelled = await recognizer.recognize(audio, RecognitionOptions(verbatim=False, spell_numbers=True))
    assert re.search(r"\d", formatted.text), formatted.text
    assert not re.search(r"\d", spelled.text), spelled.text
    assert "twelve" in spelled.text.lower()
    assert all(w.start < w.end for w in spelled.words)


async def test_numbers_said_stay_words_unless_formatted_numbers_are_asked_for(
    make_transcribe: TranscribeFactory, recognizer_engine: str
) -> None:
    audio = (DATA / "numbers.ogg").read_bytes()  # "My sister is 12 years old and she has 3 cats."
    spoken = await make_transcribe(engine=recognizer_engine).execute(TranscribeCommand(audio=audio))
    formatted = await make_transcribe(engine=recognizer_engine, spoken_numbers=False).execute(
        TranscribeCommand(audio=audio))
    assert "twelve" in spoken.text.lower() and not re.search(r"\d", spoken.text), spoken.text
    assert re.search(r"\d", formatted.text), formatted.text


async def test_misrecognised_words_get_lower_confidence(make_transcribe: TranscribeFactory) -> None:
    transcribe = make_transcribe()
    right, wrong = [], []
    for item in READINGS:
        transcript = await transcribe.execute(TranscribeCommand(audio=(DATA / item["audio"]).read_bytes()))
        reference = set(normalise_text(item["text"]).split())
        for word in transcript.words:
            (right if normalise_text(word.text) in reference else wrong).append(word.confidence)
    assert wrong, "the clips hold misrecognised words (speaker 0482's 'our wish is to')"
    assert statistics.mean(wrong) < statistics.mean(right) - 0.2
    assert np.median(right) > 0.9


async def test_word_times_agree_with_whisper_and_with_an_alignment_of_the_reference(
    make_transcribe: TranscribeFactory, sphinx_aligner: SphinxModels
) -> None:
    """Measured on these clips: 0.17 s mean boundary difference from Whisper's word times (whose first word
    starts at the VAD's padded edge), 0.01 s from a forced alignment of the reference text."""
    from adapters.audio.decoder import decode_bytes
    from adapters.speech.alignment import forced_times
    from application.transcription_evaluation import boundary_differences

    moonshine, whisper = make_transcribe(), make_transcribe(engine="whisper")
    to_whisper, to_reference = [], []
    for item in READINGS:
        data = (DATA / item["audio"]).read_bytes()
        ours = [(w.text, w.start, w.end) for w in (await moonshine.execute(TranscribeCommand(audio=data))).words]
        theirs = [(w.text, w.start, w.end) for w in (await whisper.execute(TranscribeCommand(audio=data))).words]
        to_whisper += boundary_differences(theirs, ours)
        reference = item["text"].split()
        times = forced_times(sphinx_aligner, decode_bytes(data, FORMATS).mono, reference)
        assert times is not None
        to_reference += boundary_differences([(w, *t) for w, t in zip(reference, times, strict=True) if t], ours)
    assert len(to_whisper) >= 40 and len(to_reference) >= 40
    assert statistics.mean(to_whisper) < 0.25
    assert statistics.mean(to_reference) < 0.05


async def test_beam_search_keeps_the_cache_of_each_beam(moonshine_models: MoonshineModelManager) -> None:
    """4 beams on the clear readings, all in one batch: a beam whose key/value cache were mixed up with
    another's would decode garbage; the texts are as right as greedy decoding's."""
    runner = InferenceScheduler(workers=1, timeout_seconds=120)
    model = moonshine_models.get()
    audio = []
    for item in READINGS:
        decoded = await PyAvDecoder(runner, FORMATS).decode((DATA / item["audio"]).read_bytes())
        audio += [decoded.mono[p.start : p.end] for p in with_context(stretches(speech_runs(decoded.mono)),
                                                                      decoded.channels.shape[1])]
    assert len(audio) == len(READINGS)
    greedy, beam = decode_batch(model, audio), decode_batch(model, audio, beams=4)

    def wer(decoded: list[Decoded]) -> float:
        texts = [" ".join(w for w, _ in token_words(model, d)) for d in decoded]
        return word_error_rate([str(r["text"]) for r in READINGS], texts)

    assert wer(beam) <= min(0.2, wer(greedy) + 0.05), (wer(greedy), wer(beam))
