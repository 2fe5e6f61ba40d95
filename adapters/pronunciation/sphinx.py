"""PocketSphinx passes over one stretch of 16 kHz audio: forced alignment of the reference (words and
phones with acoustic scores) and free phone-loop decoding. Decoders are built lazily, once, without the
word language model, and lent out one call at a time (a decoder is not thread-safe)."""

from __future__ import annotations

import math
import os
import queue
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from adapters.pronunciation.g2p import G2P
from adapters.pronunciation.measurement import PhoneSpan, WordSpan
from domain.pronunciation.phonemes import ARPABET, base_phone

# Scores come in log base 1.0001, shifted right by 10 bits (pocketsphinx's SENSCR_SHIFT).
_SCORE_TO_NATS = 1024 * math.log(1.0001)
_NOISE = re.compile(r"^\+.*\+$|^SIL$|^<.*>$")
_TRIM_MARGIN = 10
MODEL_NAME = "cmusphinx-en-us-5.2"


def _model_paths() -> dict[str, str]:
    from pocketsphinx import get_model_path

    root = get_model_path()
    return {
        "hmm": os.path.join(root, "en-us", "en-us"),
        "dict": os.path.join(root, "en-us", "cmudict-en-us.dict"),
        "phone_lm": os.path.join(root, "en-us", "en-us-phone.lm.bin"),
    }


def dictionary_name(word: str) -> str:
    return re.sub(r"[^a-z']", "", word.lower())


class SphinxModels:
    """A pool of `size` decoders, built on first use (or by `load`) under a lock. `options` are extra
    PocketSphinx decoder settings (the transcription aligner's cheaper pass: `TIMING_OPTIONS`)."""

    def __init__(self, size: int, g2p: G2P | None = None, options: dict[str, Any] | None = None) -> None:
        self._size = size
        self._g2p = g2p or G2P()
        self._options = dict(options or {})
        self._pool: queue.Queue[Any] = queue.Queue()
        self._built = 0
        self._lock = threading.Lock()
        # Decoders for the optional-word grammar, kept apart from the aligning ones: the live cepstral mean
        # follows every pass, and short grammar windows would change how the rest of the recording is measured.
        self._grammar_pool: queue.Queue[Any] = queue.Queue()
        self._grammar_built = 0

    @property
    def loaded(self) -> bool:
        return self._built > 0

    def _build(self) -> Any:
        from pocketsphinx import Decoder

        paths = _model_paths()
        decoder = Decoder(hmm=paths["hmm"], dict=paths["dict"], lm=None, samprate=16000, loglevel="FATAL",
                          **self._options)
        decoder.add_allphone_file("phone_loop", paths["phone_lm"])
        return decoder

    def load(self) -> None:
        with self._lock:
            while self._built < self._size:
                self._pool.put(self._build())
                self._built += 1

    @contextmanager
    def decoder(self) -> Iterator[Any]:
        if not self._built:
            self.load()
        decoder = self._pool.get()
        try:
            # A fresh feature state for every recording: the live cepstral mean otherwise carries over from the
            # recordings the decoder heard before (`set_cmn` does not restore it fully), and the same reading
            # would be measured differently depending on the requests before it.
            decoder.reinit_feat()
            yield decoder
        finally:
            self._pool.put(decoder)

    @contextmanager
    def grammar_decoder(self, lexicon: Any) -> Iterator[Any]:
        """A decoder for grammar passes, from a fresh feature state, knowing the words `lexicon` knows."""
        with self._lock:
            if self._grammar_built < self._size:
                self._grammar_pool.put(self._build())
                self._grammar_built += 1
        decoder = self._grammar_pool.get()
        try:
            decoder.reinit_feat()
            yield _Lexicon(decoder, lexicon)
        finally:
            self._grammar_pool.put(decoder)

    def pronunciation(self, decoder: Any, word: str) -> tuple[str, bool]:
        """(dictionary name, from G2P) for a reference word; adds G2P words to this decoder's dictionary."""
        name = dictionary_name(word)
        if not name or decoder.lookup_word(name) is not None:
            return name, False
        phones = [base_phone(p) for p in self._g2p(name.replace("'", ""))]
        phones = [p for p in phones if p in ARPABET]
        if not phones:
            return "", False
        decoder.add_word(name, " ".join(phones), True)
        return name, True


class _Lexicon:
    """A grammar decoder that learns, on first use, the G2P words the aligning decoder was given."""

    def __init__(self, decoder: Any, source: Any) -> None:
        self._decoder = decoder
        self._source = source

    def lookup_word(self, name: str) -> Any:
        known = self._decoder.lookup_word(name)
        if known is None and (phones := self._source.lookup_word(name)) is not None:
            self._decoder.add_word(name, phones, True)
            known = phones
        return known

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._decoder, attribute)


def _run(decoder: Any, audio: bytes) -> None:
    decoder.start_utt()
    decoder.process_raw(audio, full_utt=True)
    decoder.end_utt()


def _align_once(decoder: Any, audio: bytes, names: Sequence[str]) -> tuple[Any, list[tuple[str, int, int]]]:
    decoder.set_align_text(" ".join(names))
    try:
        _run(decoder, audio)
    except RuntimeError:
        return None, []
    first_pass = [(s.word, s.start_frame, s.end_frame) for s in decoder.seg() or ()]
    if not first_pass:
        return None, []
    decoder.set_alignment()
    try:
        _run(decoder, audio)
    except RuntimeError:
        return None, first_pass
    return decoder.get_alignment(), first_pass


def _trim_bounds(first_pass: list[tuple[str, int, int]]) -> tuple[int, int] | None:
    spoken = [(s, e) for w, s, e in first_pass if not _NOISE.match(w.upper()) and w not in ("<sil>",)]
    if not spoken:
        return None
    return max(0, spoken[0][0] - _TRIM_MARGIN), spoken[-1][1] + _TRIM_MARGIN


def _grammar_token(decoder: Any, name: str) -> str:
    """JSGF tokens cannot hold an apostrophe: such words get an alias with the same pronunciation."""
    if "'" not in name:
        return name
    alias = name.replace("'", "_q_")
    if decoder.lookup_word(alias) is None:
        decoder.add_word(alias, decoder.lookup_word(name), True)
    return alias


def said_words(decoder: Any, samples: npt.NDArray[np.int16], names: Sequence[str]) -> list[int]:
    """Positions of the reference words found by a grammar in which every word is optional. Used only when
    forced alignment of the whole reference fails: on speechocean762 this grammar also drops 6-8% of words
    that annotators heard, so it is a fallback, not the first pass."""
    tokens = [_grammar_token(decoder, n) for n in names]
    grammar = "#JSGF V1.0;\ngrammar said;\npublic <s> = " + " ".join(f"[{t}]" for t in tokens) + " ;"
    try:
        decoder.add_jsgf_string("said", grammar)
        decoder.activate_search("said")
        _run(decoder, samples.tobytes())
    except (RuntimeError, ValueError):
        return []
    hypothesis = decoder.hyp().hypstr.split() if decoder.hyp() else []
    kept, position = [], 0
    for word in hypothesis:
        while position < len(tokens) and tokens[position] != word:
            position += 1
        if position < len(tokens):
            kept.append(position)
            position += 1
    return kept


SKIP_WINDOW = 4  # words per optional-word grammar pass: its search time grows far faster than the word count
SKIP_MARGIN = 20  # frames of audio either side of a window's aligned words


def skipped_words(decoder: Any, samples: npt.NDArray[np.int16], spans: Sequence[WordSpan],
                  names: Sequence[str]) -> list[int]:
    """`index` of each aligned word that the optional-word grammar leaves out, judged over a few aligned words
    at a time (24 words in one grammar take 25 s; in windows of 4, 0.2 s): evidence for the omission decision."""
    for name in names:  # a grammar decoder learns the G2P words here (see `_Lexicon`)
        decoder.lookup_word(name)
    skipped: list[int] = []
    for first in range(0, len(spans), SKIP_WINDOW):
        group = spans[first:first + SKIP_WINDOW]
        start = max(0, group[0].start - SKIP_MARGIN)
        end = group[-1].start + group[-1].frames + SKIP_MARGIN
        found = set(said_words(decoder, samples[start * 160:end * 160], [names[s.index] for s in group]))
        skipped += [s.index for position, s in enumerate(group) if position not in found]
    return skipped


def align(
    decoder: Any, samples: npt.NDArray[np.int16], names: Sequence[str], g2p_flags: Sequence[bool], texts: Sequence[str]
) -> tuple[tuple[WordSpan, ...], tuple[PhoneSpan, ...]] | None:
    """Word and phone spans of the reference words said, or None when no alignment exists. When the whole
    reference cannot be placed at all (a word is missing at an edge), the words found by the optional-word
    grammar are aligned instead and the rest are left without spans (omitted)."""
    result = _align_words(decoder, samples, names, g2p_flags, texts)
    if result is not None:
        return result
    kept = said_words(decoder, samples, names)
    if not kept or len(kept) == len(names):
        return None
    partial = _align_words(decoder, samples, [names[i] for i in kept], [g2p_flags[i] for i in kept],
                           [texts[i] for i in kept])
    if partial is None:
        return None
    words, silences = partial
    return tuple(replace(w, index=kept[w.index]) for w in words), silences


def _align_words(
    decoder: Any, samples: npt.NDArray[np.int16], names: Sequence[str], g2p_flags: Sequence[bool], texts: Sequence[str]
) -> tuple[tuple[WordSpan, ...], tuple[PhoneSpan, ...]] | None:
    """The whole reference in one state-level pass; when that pass fails although the word-level pass placed
    every word (about 8 % of speechocean762 readings, most of them read well), each word is state-aligned on its
    own stretch of audio instead, so a failed search is not reported as a reading with every word skipped."""
    result, first_pass = _align_all(decoder, samples, names, g2p_flags, texts)
    if result is not None or len(_word_bounds(first_pass)) != len(names):
        return result
    return _align_each(decoder, samples, first_pass, names, g2p_flags, texts)


def _align_all(
    decoder: Any, samples: npt.NDArray[np.int16], names: Sequence[str], g2p_flags: Sequence[bool], texts: Sequence[str]
) -> tuple[tuple[tuple[WordSpan, ...], tuple[PhoneSpan, ...]] | None, list[tuple[str, int, int]]]:
    """(spans or None, the word-level pass). The state-level pass can fail on long leading or trailing silence;
    it is then retried on the audio trimmed to the words."""
    alignment, first_pass = _align_once(decoder, samples.tobytes(), names)
    offset = 0
    if alignment is None:
        bounds = _trim_bounds(first_pass)
        if bounds is None:
            return None, first_pass
        offset = bounds[0]
        alignment, _ = _align_once(decoder, samples[bounds[0] * 160:(bounds[1] + 1) * 160].tobytes(), names)
        if alignment is None:
            return None, first_pass
    return _spans(alignment, offset, g2p_flags, texts), first_pass


def _spans(alignment: Any, offset: int, g2p_flags: Sequence[bool],
           texts: Sequence[str]) -> tuple[tuple[WordSpan, ...], tuple[PhoneSpan, ...]] | None:
    """Word and pause spans of a state-level alignment, or None when it holds another number of words."""
    words: list[WordSpan] = []
    silences: list[PhoneSpan] = []
    for entry in alignment:
        if entry.name.startswith("<") or _NOISE.match(entry.name.upper()):
            silences.append(PhoneSpan("SIL", entry.start + offset, entry.duration, entry.score * _SCORE_TO_NATS))
            continue
        if len(words) == len(texts):
            return None
        index = len(words)
        phones = tuple(PhoneSpan(p.name, p.start + offset, p.duration, p.score * _SCORE_TO_NATS) for p in entry)
        words.append(WordSpan(index, texts[index], entry.start + offset, entry.duration, phones, g2p_flags[index]))
    if len(words) != len(texts):
        return None
    return tuple(words), tuple(silences)


WORD_MARGINS = (3, 8, 0)  # frames of audio either side of a word's word-level bounds, tried in turn


def _word_bounds(first_pass: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    return [(s, e) for w, s, e in first_pass if not _is_pause(w)]


def _is_pause(word: str) -> bool:
    return word.startswith("<") or bool(_NOISE.match(word.upper()))


def _align_each(
    decoder: Any, samples: npt.NDArray[np.int16], first_pass: list[tuple[str, int, int]], names: Sequence[str],
    g2p_flags: Sequence[bool], texts: Sequence[str],
) -> tuple[tuple[WordSpan, ...], tuple[PhoneSpan, ...]] | None:
    """Each word state-aligned over its word-level stretch and a few frames either side. Short passes move the
    decoder's cepstral mean: it is put back after them, so the passes that follow (the phone loop, the next
    recording) measure as they would have. A word that no margin aligns is left without a span."""
    cepstral_mean = decoder.get_cmn(False)
    total = len(samples) // 160
    words: list[WordSpan] = []
    try:
        for index, (start, end) in enumerate(_word_bounds(first_pass)):
            for margin in WORD_MARGINS:
                first = max(0, start - margin)
                decoder.set_cmn(cepstral_mean)
                stretch = samples[first * 160:min(total, end + 1 + margin) * 160]
                alignment, _ = _align_once(decoder, stretch.tobytes(), [names[index]])
                spans = _spans(alignment, first, [g2p_flags[index]], [texts[index]]) if alignment is not None else None
                if spans is not None:
                    words.append(replace(spans[0][0], index=index))
                    break
    finally:
        decoder.set_cmn(cepstral_mean)
    if not words:
        return None
    # Pauses where the word-level pass put them (no state scores: pauses are used for their place and length).
    silences = tuple(PhoneSpan("SIL", s, e - s + 1, 0.0) for w, s, e in first_pass
                     if _is_pause(w) and w not in ("<s>", "</s>") and e >= s)
    return tuple(words), silences


def phone_loop(decoder: Any, samples: npt.NDArray[np.int16]) -> tuple[PhoneSpan, ...]:
    """Free phone decoding (the phone bigram shipped with the model); noise and filler phones become SIL.
    Its segment scores are renormalised by the search and not comparable to aligned scores: left at 0."""
    decoder.activate_search("phone_loop")
    _run(decoder, samples.tobytes())
    spans = []
    for seg in decoder.seg() or ():
        name = seg.word.upper()
        phone = "SIL" if _NOISE.match(name) else base_phone(name)
        spans.append(PhoneSpan(phone, seg.start_frame, seg.end_frame - seg.start_frame + 1, 0.0))
    return tuple(spans)


def word_boundaries(decoder: Any, samples: npt.NDArray[np.int16], names: Sequence[str]) -> list[tuple[int, int]] | None:
    """(start, end) frames of each word from a word-level alignment pass alone (cheap: no state pass)."""
    decoder.set_align_text(" ".join(n for n in names if n != "<sil>"))
    try:
        _run(decoder, samples.tobytes())
    except RuntimeError:
        return None
    return [(s.start_frame, s.end_frame) for s in decoder.seg() or () if not s.word.startswith("<") and
            not _NOISE.match(s.word.upper())]
