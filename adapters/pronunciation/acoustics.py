"""One stretch of audio and its reference words in, a `Measurement` out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from adapters.pronunciation.measurement import Measurement
from adapters.pronunciation.prosody import prosody_summary
from adapters.pronunciation.sphinx import SphinxModels, align, phone_loop, skipped_words


def to_int16(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.int16]:
    return np.asarray(np.clip(samples, -1.0, 1.0) * 32767, dtype=np.int16)


def measure(models: SphinxModels, samples: npt.NDArray[np.float32], words: Sequence[str]) -> Measurement:
    pcm = to_int16(samples)
    frames = len(pcm) // 160
    with models.decoder() as decoder:
        entries = [models.pronunciation(decoder, w) for w in words]
        kept = [i for i, (name, _) in enumerate(entries) if name]
        names = [entries[i][0] for i in kept]
        result = align(decoder, pcm, names, [entries[i][1] for i in kept], [words[i] for i in kept]) if names else None
        loop = phone_loop(decoder, pcm)
        # Evidence for the omission decision: which words the optional-word grammar would rather leave out.
        skipped: list[int] = []
        if result is not None:
            with models.grammar_decoder(decoder) as grammar:
                skipped = skipped_words(grammar, pcm, result[0], names)
    if result is None:
        return Measurement(frames, (), (), loop, prosody_summary(samples), aligned=False)
    spans, silences = result
    # Re-index onto the full reference: words the lexicon could not spell have no span.
    spans = tuple(type(s)(kept[s.index], s.text, s.start, s.frames, s.phones, s.g2p) for s in spans)
    speech = np.zeros(frames + 1, dtype=bool)
    for span in spans:
        speech[span.start:span.start + span.frames] = True
    return Measurement(frames, spans, silences, loop, prosody_summary(samples, speech),
                       skipped=tuple(kept[i] for i in skipped))
