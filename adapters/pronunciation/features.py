"""Feature vectors at the phone, word and utterance levels, computed from a `Measurement` alone."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from adapters.pronunciation.measurement import FRAME_SECONDS, Measurement, PhoneSpan, WordSpan
from domain.pronunciation.phonemes import ARPABET, is_vowel

MIN_PHONE_FRAMES = 3  # a 3-state HMM cannot be shorter: a phone at this length was squeezed in
PAUSE_FRAMES = 15


@dataclass(frozen=True)
class PhoneView:
    span: PhoneSpan
    gop: float  # mean per-frame log-likelihood ratio against the best senone (<= 0)
    heard: str  # the phone-loop phone covering most of its frames
    agreement: float  # share of its frames where the phone loop heard the expected phone
    loop_silence: float  # share of its frames the phone loop heard as silence
    # what the neural phone classifier says of it (`neural.EVIDENCE`); NaN where it was not asked
    evidence: tuple[float, ...] = (np.nan, np.nan, np.nan)


def _loop_frames(measurement: Measurement) -> list[str]:
    frames = ["SIL"] * (measurement.frames + 2)
    for span in measurement.loop:
        for t in range(span.start, min(len(frames), span.start + span.frames)):
            frames[t] = span.phone
    return frames


def phone_views(measurement: Measurement, evidence: np.ndarray | None = None) -> dict[int, list[PhoneView]]:
    """Per reference word index, its phones with GOP, what the phone loop heard over the same frames and, when
    given, the neural `evidence` (one row per aligned phone, in word order: `neural.phone_evidence`)."""
    loop = _loop_frames(measurement)
    views: dict[int, list[PhoneView]] = {}
    rows = iter(evidence if evidence is not None else ())
    for word in measurement.words:
        items = []
        for span in word.phones:
            heard_frames = loop[span.start:span.start + span.frames] or ["SIL"]
            counts = Counter(heard_frames)
            speech = Counter(p for p in heard_frames if p != "SIL")
            heard = speech.most_common(1)[0][0] if speech else "SIL"
            items.append(PhoneView(
                span, span.score / max(1, span.frames), heard,
                counts.get(span.phone, 0) / len(heard_frames), counts.get("SIL", 0) / len(heard_frames),
                *([tuple(float(v) for v in next(rows))] if evidence is not None else []),
            ))
        views[word.index] = items
    return views


def squeezed(word: WordSpan) -> bool:
    return all(p.frames <= MIN_PHONE_FRAMES for p in word.phones)


def phone_id(phone: str) -> float:
    """A phone as a category of the trees (`PHONE_CATEGORIES` values): judges score some phones of these
    learners far more harshly than others (TH, R, Z), which GOP alone does not show."""
    return float(_PHONE_IDS.get(phone, len(ARPABET)))


_PHONE_IDS = {phone: number for number, phone in enumerate(ARPABET)}
NO_PHONE = float(len(ARPABET))  # silence, or no neighbour in the word


def phone_features(views: list[PhoneView], position: int, word: WordSpan, utterance_gop: float,
                   context: list[float]) -> list[float]:
    """The phone at `position` of a word's `views`: its own evidence, which phone it is, what the loop heard,
    its neighbours in the word (a phone beside a bad one is often judged down with it), and the utterance's
    `context`."""
    view = views[position]
    before = views[position - 1] if position > 0 else None
    after = views[position + 1] if position + 1 < len(views) else None
    gops = [v.gop for v in views]
    return [
        view.gop, view.gop - utterance_gop, np.log(view.span.frames), view.agreement, view.loop_silence,
        float(is_vowel(view.span.phone)), float(view.span.frames <= MIN_PHONE_FRAMES), float(word.g2p),
        float(len(word.phones)),
        phone_id(view.span.phone), phone_id(view.heard),
        before.gop if before else 0.0, after.gop if after else 0.0, float(np.mean(gops)),
        float(before is None), float(after is None),
        phone_id(before.span.phone) if before else NO_PHONE, phone_id(after.span.phone) if after else NO_PHONE,
        before.agreement if before else 1.0, after.agreement if after else 1.0, float(np.min(gops)), *context,
        *view.evidence, before.evidence[0] if before else 0.0, after.evidence[0] if after else 0.0,
    ]


# Columns of `phone_features` and `word_features` the trees read as categories, not as numbers.
PHONE_CATEGORIES = (9, 10, 16, 17)
WORD_CATEGORIES = (11,)


def word_features(word: WordSpan, views: list[PhoneView], utterance_gop: float, context: list[float]) -> list[float]:
    gops = np.array([v.gop for v in views]) if views else np.zeros(1)
    agreement = np.array([v.agreement for v in views]) if views else np.zeros(1)
    silence = np.array([v.loop_silence for v in views]) if views else np.ones(1)
    worst = phone_id(views[int(np.argmin(gops))].span.phone) if views else NO_PHONE
    return [
        float(gops.mean()), float(gops.min()), float(gops.mean() - utterance_gop), float(agreement.mean()),
        float(agreement.min()), float(silence.mean()), float(np.log(word.frames / max(1, len(word.phones)))),
        float(squeezed(word)), float(len(views)), float(word.g2p), float(np.mean(gops < -4.0)),
        worst, float(np.sort(gops)[1]) if len(gops) > 1 else 0.0,
        float(np.mean([v.span.frames for v in views])) if views else 0.0, *context, *word_evidence(views),
    ]


def word_evidence(views: list[PhoneView]) -> list[float]:
    """The neural classifier over the word's phones: mean and lowest log-posterior, lowest margin."""
    if not views:
        return [np.nan, np.nan, np.nan]
    evidence = np.array([v.evidence for v in views])
    return [float(np.mean(evidence[:, 0])), float(np.min(evidence[:, 0])), float(np.min(evidence[:, 1]))]


def utterance_gop(measurement: Measurement) -> float:
    frames = sum(p.frames for w in measurement.words for p in w.phones)
    score = sum(p.score for w in measurement.words for p in w.phones)
    return score / frames if frames else -10.0


def _pauses(measurement: Measurement) -> list[int]:
    if not measurement.words:
        return []
    first, last = measurement.words[0].start, measurement.words[-1].start + measurement.words[-1].frames
    return [s.frames for s in measurement.silences if first < s.start < last and s.frames >= PAUSE_FRAMES]


UTTERANCE_FEATURES = (
    "gop", "gop_median", "gop_p10", "share_below_3", "share_below_5", "agreement", "loop_silence", "word_gop_min",
    "squeezed_share", "phones_per_second", "words_per_minute", "pause_count", "pause_share", "longest_pause",
    "speech_seconds", "log_words", "voiced_share", "pitch_sd_st", "pitch_range_st", "pitch_slope_abs",
    "intensity_sd_db", "intensity_range_db", "aligned", "loop_phone_rate",
    "gop_sd", "word_gop_p25", "word_low_share", "disagree_share", "vowel_gop", "consonant_gop",
    "neural_own", "neural_margin", "neural_unnamed_share",
)


def phone_summary(predicted: np.ndarray, word_of_phone: np.ndarray, words: int) -> np.ndarray:
    """Per word row: the mean and the lowest of its phones' predicted scores, which the word model reads
    (`word_of_phone`: each phone's word row, in ascending order; a word without phones gets zeros)."""
    summary = np.zeros((words, 2))
    if len(predicted):
        rows, starts = np.unique(word_of_phone, return_index=True)
        counts = np.diff(np.append(starts, len(word_of_phone)))
        summary[rows, 0] = np.add.reduceat(predicted, starts) / counts
        summary[rows, 1] = np.minimum.reduceat(predicted, starts)
    return summary


# What a word or a phone is judged against: judges score the same sound higher from a speaker who reads well
# overall (feature-level speaker-fold CV: word PCC 0.443 -> 0.490, phone 0.439 -> 0.466 with these).
CONTEXT_FEATURES = ("gop", "gop_median", "agreement", "phones_per_second", "gop_sd", "word_gop_p25",
                    "word_low_share", "disagree_share")


def utterance_context(utterance: list[float]) -> list[float]:
    """`CONTEXT_FEATURES` out of `utterance_features`."""
    return [utterance[UTTERANCE_FEATURES.index(name)] for name in CONTEXT_FEATURES]


def utterance_features(measurement: Measurement, reference_words: int, views: dict[int, list[PhoneView]]
                       ) -> list[float]:
    """`views`: `phone_views` of the same measurement, with the neural evidence."""
    flat = [v for items in views.values() for v in items]
    gops = np.array([v.gop for v in flat]) if flat else np.full(1, -10.0)
    word_gops = [float(np.mean([v.gop for v in items])) for items in views.values() if items] or [-10.0]
    phones = sum(len(w.phones) for w in measurement.words)
    speech_frames = sum(w.frames for w in measurement.words)
    speech = max(speech_frames * FRAME_SECONDS, 0.05)
    pauses = _pauses(measurement)
    loop_phones = sum(1 for p in measurement.loop if p.phone != "SIL")
    prosody = measurement.prosody
    return [
        utterance_gop(measurement), float(np.median(gops)), float(np.percentile(gops, 10)),
        float(np.mean(gops < -3.0)), float(np.mean(gops < -5.0)),
        float(np.mean([v.agreement for v in flat])) if flat else 0.0,
        float(np.mean([v.loop_silence for v in flat])) if flat else 1.0,
        float(min(word_gops)),
        float(np.mean([squeezed(w) for w in measurement.words])) if measurement.words else 1.0,
        phones / speech, 60 * len(measurement.words) / speech, float(len(pauses)),
        sum(pauses) / max(1, speech_frames + sum(pauses)), max(pauses, default=0) * FRAME_SECONDS,
        speech, float(np.log(max(1, reference_words))),
        prosody.get("voiced_share", 0.0), prosody.get("pitch_sd_st", 0.0), prosody.get("pitch_range_st", 0.0),
        prosody.get("pitch_slope_abs", 0.0), prosody.get("intensity_sd_db", 0.0),
        prosody.get("intensity_range_db", 0.0), float(measurement.aligned), loop_phones / speech,
        *_spread(flat, gops, word_gops), *_neural(flat),
    ]


def _neural(flat: list[PhoneView]) -> list[float]:
    """The neural classifier over the utterance: mean log-posterior and margin of the expected phones, and
    the share of phones it would rather name as another."""
    if not flat:  # nothing aligned: nothing named
        return [-30.0, -30.0, 1.0]
    evidence = np.array([v.evidence for v in flat])
    return [float(np.mean(evidence[:, 0])), float(np.mean(evidence[:, 1])), float(np.mean(evidence[:, 2] > 0))]


def _spread(flat: list[PhoneView], gops: np.ndarray, word_gops: list[float]) -> list[float]:
    """How the errors are spread: a few bad words lower an annotator's accuracy more than the mean shows."""
    vowels = [v.gop for v in flat if is_vowel(v.span.phone)] or [-10.0]
    consonants = [v.gop for v in flat if not is_vowel(v.span.phone)] or [-10.0]
    return [
        float(np.std(gops)), float(np.percentile(word_gops, 25)), float(np.mean(np.asarray(word_gops) < -3.0)),
        float(np.mean([v.agreement < 0.2 for v in flat])) if flat else 1.0, float(np.mean(vowels)),
        float(np.mean(consonants)),
    ]

