"""The offline assessor: pocketsphinx measurements scored by regressors trained on human scores."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from adapters.pronunciation.acoustics import measure
from adapters.pronunciation.features import (
    PhoneView,
    phone_features,
    phone_summary,
    phone_views,
    utterance_context,
    utterance_features,
    utterance_gop,
    word_features,
)
from adapters.pronunciation.measurement import FRAME_SECONDS, Measurement, WordSpan
from adapters.pronunciation.neural import PhoneStateEncoder, States, phone_evidence
from adapters.pronunciation.omission import PARAMETERS, OmissionDecision, omission_features
from adapters.pronunciation.segmenting import sentence_chunks
from adapters.pronunciation.sphinx import MODEL_NAME, SphinxModels
from adapters.pronunciation.training import BUNDLE_VERSION
from application.ports.speech import DecodedAudio
from domain.engines import EngineInfo
from domain.pronunciation.assessment import (
    PhonemeScore,
    PronunciationAssessment,
    PronunciationScores,
    SpeechMetrics,
    WordErrorKind,
    WordScore,
    clamp_score,
    completeness,
    merge,
)
from domain.pronunciation.phonemes import to_ipa
from domain.pronunciation.text import heard_words, words_of

BUNDLE = Path(__file__).with_name("models") / "pronunciation.joblib"
CONFIDENT = 0.7  # flag a mispronunciation only when the error classifier is at least this sure
INSERTION_FRAMES = 25


@dataclass(frozen=True)
class LocalMeasurement:
    """What `measure` found: each sentence's measurement, its text and its encoder states pooled per aligned
    phone (a recording of one sentence's worth is one part)."""

    reference_text: str
    parts: tuple[tuple[Measurement, str, States], ...]
    seconds: float


class LocalPronunciationAssessor:
    def __init__(self, models: SphinxModels, encoder: PhoneStateEncoder, bundle_path: Path = BUNDLE,
                 version: str = "1", omission_path: Path = PARAMETERS) -> None:
        self._models = models
        self._encoder = encoder
        self._path = bundle_path
        self._omission_path = omission_path
        self._bundle: dict[str, Any] | None = None
        self._omission: OmissionDecision | None = None
        self._lock = threading.Lock()
        self.engine = EngineInfo("pronunciation", "local-pocketsphinx", MODEL_NAME,
                                 f"{version}+{bundle_path.stem}.{_digest(bundle_path, omission_path)}")

    @property
    def loaded(self) -> bool:
        return self._bundle is not None and self._models.loaded

    def load(self) -> None:
        with self._lock:
            if self._bundle is None:
                import joblib

                bundle = joblib.load(self._path)
                if bundle.get("version") != BUNDLE_VERSION:
                    raise RuntimeError(f"{self._path} holds regressors of version {bundle.get('version')}, this code "
                                       f"reads version {BUNDLE_VERSION}: retrain with `englivo train pronunciation`")
                self._bundle = bundle
                self._omission = OmissionDecision.load(self._omission_path)
        self._models.load()
        self._encoder.load()

    def assess(self, audio: DecodedAudio, reference_text: str, heard: str | None = None) -> PronunciationAssessment:
        return self.score(self.measure(audio, reference_text), heard)

    def measure(self, audio: DecodedAudio, reference_text: str) -> LocalMeasurement:
        """Blocking, the slow part (the alignments). Recordings longer than one sentence's worth are measured
        sentence by sentence."""
        started = time.perf_counter()
        self.load()
        chunks = sentence_chunks(self._models, audio, reference_text)
        parts = []
        for samples, text in chunks:
            measurement = measure(self._models, samples, words_of(text))
            parts.append((measurement, text, self._encoder.pooled(samples, measurement)))
        return LocalMeasurement(reference_text, tuple(parts), time.perf_counter() - started)

    def score(self, measured: object, heard: str | None = None) -> PronunciationAssessment:
        """The scores of a measurement; `heard`, what a recogniser heard in the same recording, decides which
        reference words were said (`OmissionDecision`)."""
        assert isinstance(measured, LocalMeasurement)
        started = time.perf_counter()
        self.load()
        flags = heard_words(measured.reference_text, heard) if heard is not None else None
        assert self._bundle is not None
        classifier = self._bundle["phone_classifier"]
        parts, first = [], 0
        for measurement, text, pooled in measured.parts:
            count = len(words_of(text))
            evidence = phone_evidence(classifier, pooled, measurement)
            parts.append(self._assess_chunk(measurement, text, evidence,
                                             flags[first:first + count] if flags is not None else None))
            first += count
        result = parts[0] if len(parts) == 1 else merge(parts, measured.reference_text, self.engine)
        from domain.pronunciation.feedback import common_issues, improvement_tips, words_to_practise

        return replace(
            result, reference_text=measured.reference_text, common_issues=tuple(common_issues(result.words)),
            improvement_tips=tuple(improvement_tips(result.words)),
            words_to_practise=tuple(words_to_practise(result.words)),
            processing_time=round(measured.seconds + time.perf_counter() - started, 3),
        )

    def _assess_chunk(self, measurement: Measurement, text: str, evidence: np.ndarray,
                      heard: list[bool] | None) -> PronunciationAssessment:
        words = words_of(text)
        assert self._bundle is not None
        views = phone_views(measurement, evidence)
        utterance = utterance_features(measurement, len(words), views)
        scored = _in_time_order(self._words(measurement, views, words, heard, utterance_context(utterance)),
                                self._insertions(measurement))
        from threadpoolctl import threadpool_limits

        u = np.asarray([utterance])
        with threadpool_limits(1):
            sentence = {k: float(m.predict(u)[0]) * 10 for k, m in self._bundle["sentence"].items()}
        complete = completeness(tuple(scored))
        # Judged over the words the learner was asked to read: accuracy cannot exceed the share of them said.
        # A cap, not a product: one false omission in a 4-word sentence would take a quarter off. On 60
        # speechocean762 readings with 1.2 % false omissions, accuracy PCC was 0.39 scaled, 0.52 capped.
        scores = PronunciationScores(
            accuracy=clamp_score(min(sentence["accuracy"], complete)), fluency=clamp_score(sentence["fluency"]),
            completeness=complete, prosody=clamp_score(sentence["prosodic"]),
            pronunciation=clamp_score(sentence["total"] * (0.5 + 0.5 * complete / 100)),
        )
        warnings = () if measurement.aligned else ("the reference could not be aligned to the audio",)
        return PronunciationAssessment(text, scores, tuple(scored), _metrics(measurement), self.engine,
                                       warnings=warnings)

    def _words(self, measurement: Measurement, views: dict[int, list[PhoneView]], words: list[str],
               heard: list[bool] | None, context: list[float]) -> list[WordScore]:
        """Every phone and every word of the utterance is predicted in one batch: per-call overhead of the
        regressors dominates otherwise."""
        mean_gop = utterance_gop(measurement)
        spans = {w.index: w for w in measurement.words}
        omission = self._omission
        assert omission is not None

        def left_out(index: int) -> bool:
            span = spans.get(index)
            features = omission_features(span, views[index], mean_gop, index in measurement.skipped) if span else None
            return omission.omitted(features, heard[index] if heard is not None else None)

        omitted = {i for i in range(len(words)) if left_out(i)}
        said = [i for i in range(len(words)) if i not in omitted and i in spans]
        predicted = self._predict(
            [phone_features(views[i], k, spans[i], mean_gop, context) for i in said for k in range(len(views[i]))],
            [word_features(spans[i], views[i], mean_gop, context) for i in said],
            np.asarray([row for row, i in enumerate(said) for _ in views[i]], dtype=int),
        )
        result, row = [], 0
        for index, text in enumerate(words):
            span = spans.get(index)
            if index not in omitted and span is None:
                # heard, but the aligner found no place for it: said, and not measured (confidence 0)
                result.append(WordScore(text, _unmeasured(predicted), WordErrorKind.NONE, confidence=0.0))
                continue
            if index in omitted:
                result.append(WordScore(text, 0.0, WordErrorKind.OMISSION,
                                        start=_seconds(span.start) if span else None,
                                        end=_seconds(span.start + span.frames) if span else None))
                continue
            assert span is not None
            count = len(views[index])
            phone_rows = slice(row, row + count)
            row += count
            result.append(_word(span, views[index], predicted, phone_rows, said.index(index)))
        return result

    def _predict(self, phones: list[list[float]], words: list[list[float]],
                 word_of_phone: np.ndarray) -> dict[str, np.ndarray]:
        """Phones first: each word row also reads the summary of its phones' predictions."""
        assert self._bundle is not None
        from threadpoolctl import threadpool_limits

        out: dict[str, np.ndarray] = {}
        # OpenMP threads spin against the decoders on a busy machine: one thread is faster here.
        with threadpool_limits(1):
            if phones:
                x = np.asarray(phones)
                out["phone"] = self._bundle["phone"].predict(x)
                out["phone_error"] = self._bundle["phone_error"].predict_proba(x)[:, 1]
            if words:
                summary = phone_summary(out.get("phone", np.zeros(0)), word_of_phone, len(words))
                x = np.hstack([np.asarray(words), summary])
                out["word"] = self._bundle["word"].predict(x)
                out["word_error"] = self._bundle["word_error"].predict_proba(x)[:, 1]
        return out

    @staticmethod
    def _insertions(measurement: Measurement) -> list[WordScore]:
        """Speech the phone loop heard inside a pause of the alignment: words said that are not in the text."""
        inserted = []
        first = measurement.words[0].start if measurement.words else 0
        for pause in measurement.silences:
            if pause.start <= first or pause.frames < INSERTION_FRAMES:
                continue
            end = pause.start + pause.frames
            heard = [p for p in measurement.loop
                     if p.phone != "SIL" and pause.start <= p.start and p.start + p.frames <= end]
            if sum(p.frames for p in heard) >= INSERTION_FRAMES:
                text = "/" + "".join(to_ipa(p.phone) for p in heard) + "/"
                inserted.append(WordScore(text, 0.0, WordErrorKind.INSERTION, start=_seconds(heard[0].start),
                                          end=_seconds(heard[-1].start + heard[-1].frames), confidence=0.5))
        return inserted


def _word(span: WordSpan, views: list[PhoneView], predicted: dict[str, np.ndarray], rows: slice,
          word_row: int) -> WordScore:
    phonemes = tuple(
        PhonemeScore(
            expected=v.span.phone, expected_ipa=to_ipa(v.span.phone), heard=_trusted(v),
            accuracy=clamp_score(float(a) * 50), start=_seconds(v.span.start),
            end=_seconds(v.span.start + v.span.frames), confidence=round(float(max(p, 1 - p)), 2),
            mispronounced=bool(p >= CONFIDENT),
        )
        for v, a, p in zip(views, predicted["phone"][rows], predicted["phone_error"][rows], strict=True)
    )
    word_error = float(predicted["word_error"][word_row])
    flagged = word_error >= CONFIDENT or any(p.mispronounced for p in phonemes)
    return WordScore(
        span.text, clamp_score(float(predicted["word"][word_row]) * 10),
        WordErrorKind.MISPRONUNCIATION if flagged else WordErrorKind.NONE, phonemes,
        _seconds(span.start), _seconds(span.start + span.frames), round(max(word_error, 1 - word_error), 2),
    )


def _in_time_order(words: list[WordScore], inserted: list[WordScore]) -> list[WordScore]:
    """The reference's words in their order, with the insertions placed among them by time; a word without a
    time keeps its place after the word before it."""
    keyed, last = [], -1.0
    for word in words:
        last = word.start if word.start is not None else last
        keyed.append((last, 0, word))
    keyed.extend((w.start if w.start is not None else last, 1, w) for w in inserted)
    return [w for _, _, w in sorted(keyed, key=lambda k: (k[0], k[1]))]


def _trusted(view: PhoneView) -> str | None:
    """The expected phone where the neural classifier names it, else nothing. Of 42,671 judged phones of
    speechocean762 (evidence out of fold by speaker), it named the expected phone for 66 %, and the judges
    found 99.1 % of those acceptable; where it named another phone, they found an error in only 13-19 % (the
    more confident, the more), so a learner would mostly be told of a sound they did not make (BENCHMARKS.md,
    issue 19.4). The phone loop confirmed the expected phone for only 28 % of phones."""
    return view.span.phone if view.evidence[2] == 0 else None


def _unmeasured(predicted: dict[str, np.ndarray]) -> float:
    """The score of a word heard but not measured: the mean of the utterance's measured words."""
    words = predicted.get("word")
    return clamp_score(float(np.mean(words)) * 10) if words is not None and len(words) else 0.0


def _digest(*paths: Path) -> str:
    """A retrained model file changes the engine version, and so every cache key: cached scores from the old
    regressors or omission decision are never served for the new ones."""
    import hashlib

    try:
        digest = hashlib.sha256()
        for path in paths:
            digest.update(path.read_bytes())
        return digest.hexdigest()[:8]
    except OSError:
        return "missing"


def _seconds(frames: int) -> float:
    return round(frames * FRAME_SECONDS, 2)


def _metrics(measurement: Measurement) -> SpeechMetrics:
    speech_frames = sum(w.frames for w in measurement.words)
    speaking = speech_frames * FRAME_SECONDS
    phones = sum(len(w.phones) for w in measurement.words)
    first = measurement.words[0].start if measurement.words else 0
    last = measurement.words[-1].start + measurement.words[-1].frames if measurement.words else 0
    pauses = [s.frames * FRAME_SECONDS for s in measurement.silences if first < s.start < last and s.frames >= 15]
    return SpeechMetrics(
        duration=round(measurement.frames * FRAME_SECONDS, 2), speaking_time=round(speaking, 2),
        words_per_minute=round(60 * len(measurement.words) / speaking, 1) if speaking else 0.0,
        articulation_rate=round(phones / speaking, 2) if speaking else 0.0, pause_count=len(pauses),
        mean_pause=round(sum(pauses) / len(pauses), 3) if pauses else 0.0, longest_pause=max(pauses, default=0.0),
        pitch_range_semitones=round(measurement.prosody.get("pitch_range_st", 0.0), 2),
        intensity_range_db=round(measurement.prosody.get("intensity_range_db", 0.0), 2),
    )
