"""Word timings for a recogniser that gives none (Moonshine): the recognised words are force-aligned to
their stretch of audio with the pronunciation engine's PocketSphinx aligner (`word_boundaries`, its cheap
word-level pass; unknown words are spelled by the same G2P model).

When the aligner finds no path (a word the audio does not hold, noise), the words share the voiced time
of the stretch in proportion to their length, so that every word still has start < end.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.pronunciation.acoustics import to_int16
from adapters.pronunciation.sphinx import SphinxModels, word_boundaries
from application.ports.speech import Samples

FRAME_SECONDS = 0.01
# PocketSphinx settings of the aligner that times recognised words (not the pronunciation engine's): 2
# Gaussians per frame instead of 4. On 60 s of speech its CPU went from 0.75 to 0.62 s; on 40 readings
# its word boundaries moved by 0.009 s on average. Also scoring every second frame (`ds=2`): 0.40 s, but
# boundaries moved by 0.054 s on short readings (evaluation timing error 0.144 s with it, 0.077 s without).
TIMING_OPTIONS = {"topn": 2}
MIN_WORD_SECONDS = 0.02


def align_words(
    models: SphinxModels, samples: Samples, words: Sequence[str], voiced: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """(start, end) in seconds from the start of `samples` for each word; `voiced` are the speech spans
    (seconds, same origin) used when alignment fails."""
    if not words:
        return []
    times = forced_times(models, samples, words)
    if times is None:
        return spread(words, voiced or [(0.0, len(samples) / 16_000)])
    return _fill_unspelled(times)


def forced_times(
    models: SphinxModels, samples: Samples, words: Sequence[str]
) -> list[tuple[float, float] | None] | None:
    """The aligner's (start, end) per word (None for a word the lexicon cannot spell), or None when the
    words cannot be aligned to the audio. Also the reference timing of `englivo evaluate transcription`."""
    with models.decoder() as decoder:
        names = [models.pronunciation(decoder, w)[0] for w in words]
        spelled = [n for n in names if n]
        bounds = word_boundaries(decoder, to_int16(samples), spelled) if spelled else None
    if bounds is None or len(bounds) != len(spelled):
        return None
    times: list[tuple[float, float] | None] = []
    found = iter(bounds)
    for name in names:
        if name:
            start, end = next(found)
            times.append((start * FRAME_SECONDS, (end + 1) * FRAME_SECONDS))
        else:
            times.append(None)
    return times


def spread(words: Sequence[str], voiced: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Words laid over the voiced time in order, each taking a share proportional to its letters."""
    weights = [max(1, len(w)) for w in words]
    total_voiced = sum(max(0.0, b - a) for a, b in voiced) or MIN_WORD_SECONDS * len(words)
    per_weight = total_voiced / sum(weights)
    result, used = [], 0.0
    for weight in weights:
        start = _voiced_time(voiced, used, starting=True)
        used += weight * per_weight
        end = max(_voiced_time(voiced, used), start + MIN_WORD_SECONDS)
        result.append((start, end))
    return result


def _voiced_time(voiced: Sequence[tuple[float, float]], offset: float, starting: bool = False) -> float:
    """The moment `offset` seconds of voiced time into the spans; a word starting exactly where a span ends
    starts in the next span."""
    for start, end in voiced:
        if offset < end - start or (offset == end - start and not starting):
            return start + offset
        offset -= end - start
    return voiced[-1][1] if voiced else offset


def _fill_unspelled(times: list[tuple[float, float] | None]) -> list[tuple[float, float]]:
    """A word the lexicon could not spell ("%", a stray symbol) shares the gap between its neighbours."""
    result: list[tuple[float, float]] = []
    for i, span in enumerate(times):
        if span is not None:
            result.append(span)
            continue
        before = result[-1][1] if result else 0.0
        after = next((s[0] for s in times[i + 1 :] if s is not None), before + MIN_WORD_SECONDS)
        start = before
        result.append((start, max(after, start + MIN_WORD_SECONDS)))
    return result
