"""Moonshine base-en (ONNX Runtime) as the SpeechRecognizer: VAD segments, greedy decoding, forced-aligned
word timings and token-probability confidences.

- Segments: the Silero VAD's speech runs (the same VAD and settings as the Whisper adapter; a run longer
  than `MAX_SEGMENT_SECONDS` is cut at a pause) are grouped into stretches of at most that length
  (Moonshine takes at most 64 s a call; its cost grows with the audio, unlike Whisper's 30 s window),
  split at pauses longer than `MAX_GAP_SECONDS`, and decoded with `CONTEXT_SECONDS` of audio around them.
- Decoding (`moonshine_decoding`): several segments of similar length in one batch (the decoder's fixed
  cost per step is shared); end-of-text blocked at the first step; tokens capped by the duration; a run
  of one phrase repeated 3 times or more (a decoding loop) kept once.
- Beam search (4 beams) for recordings with at most `BEAM_SECONDS` of speech, greedy beyond: on two sets
  of 100 readings 4 beams made 5 and 16 fewer errors than greedy (BENCHMARKS.md, issue 21), but they
  double the decoder's CPU time (60 s of speech: 3.0 -> 6.2 s), which would break the 3 s target there.
- Numbers: with `spell_numbers` a number Moonshine writes in digits is spelled out before alignment
  ("12" -> "twelve"). Blocking its digit tokens, as the Whisper adapter does, does not work here: the
  decoder then writes the digits as byte-fallback tokens or stops.
- Words: a word starts at a token beginning with "\u2581" (SentencePiece's space); its confidence is the
  lowest probability among its tokens (the weakest piece is where a misrecognition shows).
- Times: Moonshine gives none; `alignment.align_words` force-aligns each segment's words with
  PocketSphinx.
- Every segment passes the hallucination guard. Moonshine has no no-speech probability (0 is passed);
  the other rules apply as for Whisper.
- Fillers: Moonshine writes the fillers it hears without a prompt; plain (non-verbatim) mode drops them.
"""

from __future__ import annotations

import itertools
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from adapters.pronunciation.sphinx import SphinxModels
from adapters.speech.alignment import align_words, spread
from adapters.speech.moonshine_decoding import Decoded, decode_batch, text_logprob, without_loops
from adapters.speech.moonshine_models import MoonshineModel, MoonshineModelManager
from adapters.speech.whisper import SAMPLE_RATE, VAD_PARAMETERS, Chunk, speech_ratio
from application.ports.inference import InferenceRunner
from application.ports.speech import DecodedAudio, RecognitionOptions, Samples
from application.transcription_evaluation import spell_out_numbers
from domain.engines import EngineInfo
from domain.errors import InvalidInput
from domain.pronunciation.text import words_of
from domain.transcription.fillers import is_filler_word
from domain.transcription.guard import GuardThresholds, SegmentEvidence, is_hallucination
from domain.transcription.transcript import Recognition, Segment, Word

MAX_SEGMENT_SECONDS = 20.0  # 8 s stretches cost the same and made more errors (WER 0.377 vs 0.363 on 40)
CONTEXT_SECONDS = 0.3  # audio kept around each stretch: without it the first word suffers (WER +0.035)
MAX_GAP_SECONDS = 2.0
MAX_FORCED_SECONDS = 60.0  # one decoder call reads at most 64 s
BEAMS = 4  # beam search, for recordings with at most BEAM_SECONDS of speech stretches (see the docstring)
BEAM_SECONDS = 30.0
BATCH_SIZE = 8
PEAK_LEVEL = 0.5  # recordings are scaled so that their loudest sample is at half of full scale (see `at_level`)
MAX_GAIN = 10.0
MAX_PADDING = 2.0  # a batch's longest stretch is at most this many times its shortest: trailing zeros did not
# change the WER (40 readings padded by 25 %: 0.377 either way; by 60 %: 0.370)


@dataclass(frozen=True)
class Stretch:
    """Samples [start, end) of the recording and the VAD speech runs inside it."""

    start: int
    end: int
    chunks: tuple[Chunk, ...]

    @property
    def seconds(self) -> float:
        return (self.end - self.start) / SAMPLE_RATE


def with_context(parts: Sequence[Stretch], length: int, context: float = CONTEXT_SECONDS) -> list[Stretch]:
    """Each stretch widened by `context` seconds on both sides, never past the recording or the middle of the
    pause to its neighbour (a word must not be heard by two stretches)."""
    pad = int(context * SAMPLE_RATE)
    widened = []
    for i, part in enumerate(parts):
        low = max(0, part.start - pad, (parts[i - 1].end + part.start) // 2 if i else 0)
        high = min(length, part.end + pad, (part.end + parts[i + 1].start) // 2 if i + 1 < len(parts) else length)
        widened.append(Stretch(low, high, part.chunks))
    return widened


def speech_runs(samples: Samples, max_seconds: float = MAX_SEGMENT_SECONDS) -> list[Chunk]:
    """The Silero VAD's speech runs (Whisper adapter's settings); a run longer than `max_seconds` is cut at
    its last pause of ~0.1 s before the limit (the VAD's own rule), so that a cut rarely falls in a word."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(**VAD_PARAMETERS, max_speech_duration_s=max_seconds)
    return list(get_speech_timestamps(samples, options, sampling_rate=SAMPLE_RATE))


def at_level(samples: Samples, peak: float = PEAK_LEVEL, max_gain: float = MAX_GAIN) -> Samples:
    """`samples` scaled so that the loudest is at `peak`, amplified at most `max_gain` times (a quiet noise
    floor stays quiet). Moonshine mishears quiet readings: learners' recordings peak at 0.07-0.6 of full
    scale, and levelling them took the WER from 0.389 to 0.369 on the check set and from 0.348 to 0.340 on
    the evaluation set (BENCHMARKS.md, issue 21)."""
    loudest = float(np.abs(samples).max()) if len(samples) else 0.0
    if loudest == 0.0:
        return samples
    return (samples * min(max_gain, peak / loudest)).astype(np.float32)


def stretches(chunks: Sequence[Chunk], max_seconds: float = MAX_SEGMENT_SECONDS,
              max_gap: float = MAX_GAP_SECONDS) -> list[Stretch]:
    limit, gap = int(max_seconds * SAMPLE_RATE), int(max_gap * SAMPLE_RATE)
    groups: list[list[Chunk]] = []
    for chunk in chunks:
        for piece in _split(chunk, limit):
            last = groups[-1] if groups else None
            if last and piece["end"] - last[0]["start"] <= limit and piece["start"] - last[-1]["end"] <= gap:
                last.append(piece)
            else:
                groups.append([piece])
    return [Stretch(g[0]["start"], g[-1]["end"], tuple(g)) for g in groups]


def _split(chunk: Chunk, limit: int) -> list[Chunk]:
    """A speech run longer than `limit` (nobody paused) is cut into equal parts."""
    length = chunk["end"] - chunk["start"]
    parts = max(1, math.ceil(length / limit))
    bounds = [chunk["start"] + length * i // parts for i in range(parts + 1)]
    return [{"start": a, "end": b} for a, b in itertools.pairwise(bounds)]


def batches(items: Sequence[Stretch], size: int = BATCH_SIZE, padding: float = MAX_PADDING) -> list[list[int]]:
    """Indices of `items` grouped by similar length, so that little of a batch is padding."""
    order = sorted(range(len(items)), key=lambda i: items[i].end - items[i].start)
    groups: list[list[int]] = []
    for i in order:
        group = groups[-1] if groups else None
        shortest = items[group[0]].seconds if group else 0.0
        if group and len(group) < size and items[i].seconds <= shortest * padding:
            group.append(i)
        else:
            groups.append([i])
    return groups


class MoonshineRecognizer:
    def __init__(
        self,
        models: MoonshineModelManager,
        runner: InferenceRunner,
        aligner: SphinxModels,
        guard: GuardThresholds = GuardThresholds(),
        beams: int = BEAMS,
        version: str = "2",  # 2: other scripts blocked; part of every cache key, so no version-1 result is served
    ) -> None:
        self._models = models
        self._runner = runner
        self._aligner = aligner
        self._guard = guard
        self._beams = beams
        self._engine = EngineInfo("transcription", "moonshine", models.config.model, f"{version}-onnx")

    @property
    def engine(self) -> EngineInfo:
        return self._engine

    async def recognize(self, audio: DecodedAudio, options: RecognitionOptions) -> Recognition:
        if options.language != "en":
            raise InvalidInput(f"The model {self._models.config.model} only recognises English.", field="language")
        return await self._runner.run(self.recognize_sync, audio.mono, audio.duration, options)

    def recognize_sync(self, samples: Samples, duration: float, options: RecognitionOptions) -> Recognition:
        heard = at_level(samples)  # what the VAD and the decoder hear; the aligner reads the recording as it is
        chunks = speech_runs(heard)
        parts = with_context(stretches(chunks), len(samples))
        if not parts:
            return Recognition("en", duration, (), ())
        model = self._models.get()
        beams = self._beams if sum(p.seconds for p in parts) <= BEAM_SECONDS else 1
        decoded: list[Decoded] = [[] for _ in parts]
        for group in batches(parts):
            results = decode_batch(model, [heard[parts[i].start : parts[i].end] for i in group], beams)
            for i, result in zip(group, results, strict=True):
                decoded[i] = without_loops(result)
        words: list[Word] = []
        segments: list[Segment] = []
        for part, tokens in zip(parts, decoded, strict=True):
            kept = self._segment_words(samples, part, tokens, chunks, options)
            if kept:
                words.extend(kept)
                logprob = sum(lp for _, lp in tokens) / len(tokens)
                text = " ".join(w.text for w in kept)
                segments.append(Segment(len(segments), kept[0].start, kept[-1].end, text, round(logprob, 4), 0.0))
        return Recognition("en", duration, tuple(words), tuple(segments))

    async def reading_likelihood(self, audio: DecodedAudio, text: str) -> float | None:
        return await self._runner.run(self.reading_likelihood_sync, audio.mono, text)

    def reading_likelihood_sync(self, samples: Samples, text: str) -> float | None:
        """How likely the decoder finds `text` as what was said in the whole recording (`text_logprob`, the
        text written as the model writes a sentence); None for recordings longer than one decoder call."""
        written = as_written(text)
        if not written or len(samples) > MAX_FORCED_SECONDS * SAMPLE_RATE:
            return None
        model = self._models.get()
        return text_logprob(model, at_level(samples), model.vocabulary.encode(written))

    def _segment_words(self, samples: Samples, part: Stretch, tokens: Decoded, chunks: Sequence[Chunk],
                       options: RecognitionOptions) -> list[Word]:
        pieces = token_words(self._models.get(), tokens)
        if not options.verbatim:
            pieces = [p for p in pieces if not is_filler_word(p[0])]
        if options.spell_numbers:
            pieces = [(w, c) for text, c in pieces for w in _spelled(text)]
        if not pieces:
            return []
        offset = part.start / SAMPLE_RATE
        voiced = [((c["start"] - part.start) / SAMPLE_RATE, (c["end"] - part.start) / SAMPLE_RATE) for c in part.chunks]
        names = [p[0] for p in pieces]
        times = (align_words(self._aligner, samples[part.start : part.end], names, voiced) if options.aligned_words
                 else spread(names, voiced))
        words = [_word(text, offset + start, offset + end, confidence)
                 for (text, confidence), (start, end) in zip(pieces, times, strict=True)]
        text = " ".join(w.text for w in words)
        evidence = SegmentEvidence(
            avg_logprob=sum(lp for _, lp in tokens) / len(tokens),
            no_speech_prob=0.0,
            compression_ratio=compression_ratio(text),
            speech_ratio=speech_ratio(words[0].start, words[-1].end, chunks),
            mean_word_probability=sum(math.exp(lp) for _, lp in tokens) / len(tokens),
            seconds_per_word=(words[-1].end - words[0].start) / len(words),
        )
        return [] if is_hallucination(evidence, self._guard) else words


def token_words(model: MoonshineModel, tokens: Decoded) -> list[tuple[str, float]]:
    """(text, confidence) per word. Punctuation standing alone joins the word before it, as Whisper writes
    it ("picture.")."""
    vocabulary = model.vocabulary
    groups: list[Decoded] = []
    for token in tokens:
        if not groups or vocabulary.starts_word(token[0]):
            groups.append([token])
        else:
            groups[-1].append(token)
    words: list[tuple[str, float]] = []
    for group in groups:
        text = vocabulary.decode([t for t, _ in group]).strip()
        spoken = [lp for t, lp in group if any(c.isalnum() for c in vocabulary.decode([t]))]
        if not text:
            continue
        if not spoken and words:
            words[-1] = (words[-1][0] + text, words[-1][1])
            continue
        words.append((text, math.exp(min(spoken or [lp for _, lp in group]))))
    return words


def as_written(text: str) -> str:
    """ "JOHN CAN SEE THE SHEEP" as Moonshine writes a sentence: " John can see the sheep." (a leading space
    starts the first word's piece). Only the first word and "I" keep a capital: names are rare in readings,
    and a lower-case name costs the same in every recording of the text."""
    words = ["I" + w[1:] if w.lower() in ("i", "i'm", "i'll", "i've", "i'd") else w.lower() for w in words_of(text)]
    if not words:
        return ""
    sentence = " ".join(words)
    return f" {sentence[0].upper()}{sentence[1:]}."


def _spelled(text: str) -> list[str]:
    return spell_out_numbers(text).split() if any(c.isdigit() for c in text) else [text]


def compression_ratio(text: str) -> float:
    """Whisper's measure of a decoding loop: raw bytes over zlib-compressed bytes."""
    data = text.encode()
    return len(data) / len(zlib.compress(data)) if data else 0.0


def _word(text: str, start: float, end: float, confidence: float) -> Word:
    start = round(start, 3)
    return Word(text, start, max(round(end, 3), start + 0.01), round(confidence, 4))
