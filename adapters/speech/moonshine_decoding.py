"""Moonshine's decoder loop: beam search over several stretches at once (beam 1 is greedy decoding).

- The stretches are zero-padded to the longest and encoded in one call; the decoder's first step (which
  also computes the cross-attention keys and values) runs once per stretch, and its outputs are repeated
  for each beam, so a beam costs only the cheap cached steps.
- End-of-text is blocked at the first step: greedy decoding otherwise returns nothing for some short
  learner answers (4 of 50 in the issue's measurement).
- Tokens of other scripts are blocked at every step (`MoonshineModel.blocked`): the engine transcribes
  English, and on readings it cannot make out the decoder otherwise writes Chinese or Korean.
- A hypothesis ends at end-of-text or at `TOKENS_PER_SECOND` tokens per second of audio (which also ends
  a decoding loop). A stretch is done when `beams` hypotheses have ended or its cap is reached; the
  ended hypothesis with the best summed log-probability over `length ** length_penalty` wins.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from adapters.speech.moonshine_models import END_OF_TEXT, START, MoonshineModel
from application.ports.speech import Samples

SAMPLE_RATE = 16_000
TOKENS_PER_SECOND = 6.5
Decoded = list[tuple[int, float]]  # (token id, log-probability)


@dataclass
class _Stretch:
    """The live hypotheses (row order) and the ended ones of one stretch."""

    limit: int
    live: list[tuple[float, Decoded]]
    ended: list[tuple[float, Decoded]] = field(default_factory=list)
    done: bool = False


def decode_batch(model: MoonshineModel, audio: Sequence[Samples], beams: int = 1,
                 length_penalty: float = 1.0) -> list[Decoded]:
    """The best hypothesis for each stretch of `audio` (decoded together)."""
    rows = len(audio)
    padded = np.zeros((rows, max(len(a) for a in audio)), dtype=np.float32)
    for row, samples in enumerate(audio):
        padded[row, : len(samples)] = samples
    hidden = model.encoder.run(None, {"input_values": padded})[0]
    past = _empty_cache(model, rows)
    outputs = model.decoder.run(None, {
        "input_ids": np.full((rows, 1), START, dtype=np.int64), "encoder_hidden_states": hidden,
        "use_cache_branch": np.array([False]), **past,
    })
    blocked = np.asarray(model.blocked, dtype=np.int64)
    logprobs = _logprobs(outputs[0], len(model.vocabulary), blocked)
    logprobs[:, END_OF_TEXT] = -np.inf
    states = []
    for row, samples in enumerate(audio):
        limit = max(4, math.ceil(len(samples) / SAMPLE_RATE * TOKENS_PER_SECOND))
        best = np.argsort(-logprobs[row])[:beams]
        states.append(_Stretch(limit, [(float(logprobs[row, t]), [(int(t), float(logprobs[row, t]))]) for t in best]))
    # every stretch holds `beams` rows from here on (a stretch with fewer candidates repeats its last)
    expand = np.repeat(np.arange(rows), beams)
    hidden = hidden[expand]
    for name, value in zip(model.decoder_outputs[1:], outputs[1:], strict=True):
        past[name.replace("present", "past_key_values")] = value[expand]
    encoder_names = {n.replace("present", "past_key_values") for n in model.decoder_outputs[1:] if ".decoder." not in n}
    for _ in range(max(s.limit for s in states)):
        if all(s.done or _close(s, beams) for s in states):
            break
        tokens = np.array([[_last(s, b)] for s in states for b in range(beams)], dtype=np.int64)
        outputs = model.decoder.run(None, {
            "input_ids": tokens, "encoder_hidden_states": hidden, "use_cache_branch": np.array([True]), **past,
        })
        logprobs = _logprobs(outputs[0], len(model.vocabulary), blocked).reshape(rows, beams, -1)
        source = np.arange(rows * beams)
        for i, state in enumerate(states):
            if not state.done:
                source[i * beams : (i + 1) * beams] = i * beams + _advance(state, logprobs[i], beams, length_penalty)
        for name, value in zip(model.decoder_outputs[1:], outputs[1:], strict=True):
            key = name.replace("present", "past_key_values")
            if key not in encoder_names:
                past[key] = value[source]
    return [_best(s, length_penalty) for s in states]


def text_logprob(model: MoonshineModel, samples: Samples, tokens: list[int]) -> float:
    """Mean log-probability per token of `tokens`, then end-of-text, as the transcript of `samples`: the
    decoder reads them all in one call (teacher forcing) instead of choosing them."""
    hidden = model.encoder.run(None, {"input_values": samples[None, :].astype(np.float32)})[0]
    logits = model.decoder.run(None, {
        "input_ids": np.array([[START, *tokens]], dtype=np.int64), "encoder_hidden_states": hidden,
        "use_cache_branch": np.array([False]), **_empty_cache(model, 1),
    })[0][0].astype(np.float64)[:, : len(model.vocabulary)]
    logprobs = _log_softmax(logits)
    targets = [*tokens, END_OF_TEXT]
    return float(np.mean(logprobs[np.arange(len(targets)), targets]))


def _empty_cache(model: MoonshineModel, rows: int) -> dict[str, np.ndarray]:
    """The decoder's key/value cache before its first step: nothing decoded yet."""
    return {n: np.zeros((rows, 8, 0, 52), dtype=np.float32) for n in model.decoder_inputs if n.startswith("past")}


def _logprobs(logits: np.ndarray, vocabulary: int, blocked: np.ndarray) -> np.ndarray:
    scores = logits[:, -1, :].astype(np.float64)
    scores[:, vocabulary:] = -np.inf
    scores[:, blocked] = -np.inf
    return _log_softmax(scores)


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    """Per row; rows may hold -inf (tokens not allowed)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    result: np.ndarray = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return result


def _last(state: _Stretch, beam: int) -> int:
    if state.done:
        return END_OF_TEXT
    return state.live[min(beam, len(state.live) - 1)][1][-1][0]


def _advance(state: _Stretch, logprobs: np.ndarray, beams: int, length_penalty: float) -> np.ndarray:
    """One step of `state` given its rows' log-probabilities; the source row of each new live hypothesis."""
    live = len(state.live)
    total = np.array([score for score, _ in state.live])[:, None] + logprobs[:live]
    flat_total = total.ravel()
    best = np.argpartition(-flat_total, 2 * beams)[: 2 * beams]  # a full sort of 4 x 32,000 costs ~10 ms a step
    order = best[np.argsort(-flat_total[best])]
    width = logprobs.shape[1]
    kept: list[tuple[float, Decoded]] = []
    sources: list[int] = []
    for flat in order:
        row, token = divmod(int(flat), width)
        score, path = float(total[row, token]), state.live[row][1]
        if token == END_OF_TEXT:
            state.ended.append((score, path))
        elif len(path) >= state.limit:
            state.ended.append((state.live[row][0], path))
        else:
            kept.append((score, [*path, (token, float(logprobs[row, token]))]))
            sources.append(row)
        if len(kept) == beams:
            break
    state.live = kept
    if not kept or len(state.ended) >= beams:
        state.done = True
    return np.array(sources + [sources[-1] if sources else 0] * (beams - len(sources)))


def _close(state: _Stretch, beams: int) -> bool:
    state.done = state.done or len(state.ended) >= beams
    return state.done


def _best(state: _Stretch, length_penalty: float) -> Decoded:
    candidates = state.ended or state.live
    return max(candidates, key=lambda c: c[0] / max(1, len(c[1])) ** length_penalty)[1]


def without_loops(tokens: Decoded, min_repeats: int = 3, longest: int = 12) -> Decoded:
    """`tokens` with every run of one n-gram repeated `min_repeats` times or more in a row (a single token:
    twice as many, since "no, no, no" is said) kept once: the
    decoder sometimes loops ("the book of the book of the book of ...") until the token cap; one copy keeps
    what was said before the loop instead of the hallucination guard dropping the whole stretch."""
    ids = [t for t, _ in tokens]
    kept: Decoded = []
    i = 0
    while i < len(ids):
        for n in range(1, longest + 1):
            repeats = 1
            while ids[i + repeats * n : i + (repeats + 1) * n] == ids[i : i + n] and i + (repeats + 1) * n <= len(ids):
                repeats += 1
            if repeats >= (min_repeats if n > 1 else 2 * min_repeats):
                kept.extend(tokens[i : i + n])
                i += repeats * n
                break
        else:
            kept.append(tokens[i])
            i += 1
    return kept
