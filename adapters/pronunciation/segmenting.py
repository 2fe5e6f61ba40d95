"""Long recordings are cut at sentence boundaries and scored one sentence at a time, so that alignment,
omissions and insertions keep working however long the recording is."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from adapters.pronunciation.acoustics import to_int16
from adapters.pronunciation.sphinx import SphinxModels, word_boundaries
from application.ports.speech import DecodedAudio
from domain.pronunciation.text import sentences_of, words_of

LONG_SECONDS = 30.0


def sentence_chunks(
    models: SphinxModels, audio: DecodedAudio, text: str, long_seconds: float = LONG_SECONDS
) -> list[tuple[npt.NDArray[np.float32], str]]:
    sentences = sentences_of(text)
    samples = audio.mono
    if audio.duration <= long_seconds or len(sentences) < 2:
        return [(samples, text)]
    counts = [len(words_of(s)) for s in sentences]
    with models.decoder() as decoder:
        names = [models.pronunciation(decoder, w)[0] or "<sil>" for w in words_of(text)]
        bounds = word_boundaries(decoder, to_int16(samples), names)
    if bounds is None or len(bounds) != sum(counts):
        return [(samples, text)]
    cuts, position = [0], 0
    for count in counts[:-1]:
        position += count
        gap_start, gap_end = bounds[position - 1][1], bounds[position][0]
        cuts.append((gap_start + gap_end) // 2 * 160)
    cuts.append(len(samples))
    return [(samples[a:b], s) for a, b, s in zip(cuts, cuts[1:], sentences, strict=False)]
