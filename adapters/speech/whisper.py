"""faster-whisper (CTranslate2, int8 on CPU) as the SpeechRecognizer, with word timings.

Decoding is greedy at temperature 0 with no fallback: the fallback to higher temperatures is where
Whisper invents text ("Thank you.") on learner speech, and it multiplies latency on short clips.
Silence is cut with the Silero VAD bundled in faster-whisper before decoding; speech runs are joined,
decoded, and times mapped back onto the original recording. Every segment then passes the
hallucination guard (domain.transcription.guard). `verbatim` primes the decoder with a prompt full of
fillers, the known way to keep Whisper from cleaning up "um" and "uh" (see BENCHMARKS-transcription.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from adapters.speech.whisper_models import WhisperModelManager
from application.ports.inference import InferenceRunner
from application.ports.speech import DecodedAudio, RecognitionOptions, Samples
from domain.engines import EngineInfo
from domain.errors import InvalidInput
from domain.transcription.guard import GuardThresholds, SegmentEvidence, is_hallucination
from domain.transcription.transcript import Recognition, Segment, Word

SAMPLE_RATE = 16_000
VERBATIM_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking. So, uh, I- I went."
NUMERAL_SYMBOLS = frozenset("0123456789%$£")
VAD_PARAMETERS = {"threshold": 0.5, "min_silence_duration_ms": 500, "speech_pad_ms": 200}

Chunk = dict[str, int]


def speech_chunks(audio: Samples) -> list[Chunk]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return list(get_speech_timestamps(audio, VadOptions(**VAD_PARAMETERS), sampling_rate=SAMPLE_RATE))


def speech_ratio(start: float, end: float, chunks: Sequence[Chunk]) -> float:
    """Share of [start, end] that the VAD marked as speech."""
    if end <= start:
        return 1.0
    voiced = sum(
        max(0.0, min(end, c["end"] / SAMPLE_RATE) - max(start, c["start"] / SAMPLE_RATE)) for c in chunks
    )
    return voiced / (end - start)


class FasterWhisperRecognizer:
    def __init__(
        self,
        models: WhisperModelManager,
        runner: InferenceRunner,
        guard: GuardThresholds = GuardThresholds(),
        version: str = "1",
    ) -> None:
        self._models = models
        self._runner = runner
        self._guard = guard
        self._numerals: tuple[Any, list[int]] | None = None
        config = models.config
        self._engine = EngineInfo(
            "transcription", "faster-whisper", config.model, f"{version}-{config.compute_type}"
        )

    @property
    def engine(self) -> EngineInfo:
        return self._engine

    def _numeral_tokens(self) -> list[int]:
        """Ids of the text tokens that contain a digit or a symbol read out as a word (%, $, £), found once
        per loaded model, as whisperX's `find_numeral_symbol_tokens` does."""
        model = self._models.get()
        if self._numerals is None or self._numerals[0] is not model:
            tokenizer = model.hf_tokenizer
            end_of_text = tokenizer.token_to_id("<|endoftext|>")
            ids = [i for i in range(end_of_text) if any(c in NUMERAL_SYMBOLS for c in tokenizer.decode([i]))]
            self._numerals = (model, ids)
        return self._numerals[1]

    async def recognize(self, audio: DecodedAudio, options: RecognitionOptions) -> Recognition:
        if self._models.config.english_only and options.language != "en":
            raise InvalidInput(
                f"The model {self._models.config.model} only recognises English.", field="language"
            )
        return await self._runner.run(self.recognize_sync, audio.mono, audio.duration, options)

    def recognize_sync(self, samples: Samples, duration: float, options: RecognitionOptions) -> Recognition:
        from faster_whisper.vad import SpeechTimestampsMap

        chunks = speech_chunks(samples)
        if not chunks:
            return Recognition(options.language, duration, (), ())
        speech = np.concatenate([samples[c["start"] : c["end"]] for c in chunks])
        segments, info = self._models.get().transcribe(
            speech,
            language=options.language,
            beam_size=self._models.config.beam_size,
            word_timestamps=True,
            vad_filter=False,
            condition_on_previous_text=False,
            temperature=0.0,
            initial_prompt=VERBATIM_PROMPT if options.verbatim else None,
            suppress_tokens=[-1, *self._numeral_tokens()] if options.spell_numbers else [-1],
        )
        times = SpeechTimestampsMap(chunks, SAMPLE_RATE)
        kept_words: list[Word] = []
        kept_segments: list[Segment] = []
        for raw in segments:
            words = _restore_words(raw.words or [], times)
            if not words:
                continue
            start, end = words[0].start, words[-1].end
            if is_hallucination(_evidence(raw, words, speech_ratio(start, end, chunks)), self._guard):
                continue
            kept_words.extend(words)
            kept_segments.append(
                Segment(len(kept_segments), start, end, raw.text.strip(), raw.avg_logprob, raw.no_speech_prob)
            )
        return Recognition(info.language, duration, tuple(kept_words), tuple(kept_segments))


def _restore_words(raw_words: Iterable[Any], times: Any) -> list[Word]:
    words = []
    for w in raw_words:
        text = w.word.strip()
        if not text:
            continue
        chunk = times.get_chunk_index((w.start + w.end) / 2)
        start = times.get_original_time(w.start, chunk)
        end = max(start, times.get_original_time(w.end, chunk))
        words.append(Word(text, round(float(start), 3), round(float(end), 3), round(float(w.probability), 4)))
    return words


def _evidence(raw: Any, words: Sequence[Word], ratio: float) -> SegmentEvidence:
    return SegmentEvidence(
        avg_logprob=raw.avg_logprob,
        no_speech_prob=raw.no_speech_prob,
        compression_ratio=raw.compression_ratio,
        speech_ratio=ratio,
        mean_word_probability=sum(w.confidence for w in words) / len(words),
        seconds_per_word=(words[-1].end - words[0].start) / len(words),
    )
