"""Wiring of text analysis and the CEFR assessment: grammar checker, optional LLM reviewers, the CEFR model."""

from __future__ import annotations

from typing import Any

from adapters.analysis.checker import CheckerOptions, LocalGrammarChecker, ParsedTexts
from adapters.analysis.measured_recall import load_measured_recall
from adapters.analysis.models import ModelManager
from adapters.analysis.tagger.detector import TaggerDecision, TaggerDetector
from adapters.analysis.tagger.model import MODEL_DIR, TaggerModel
from adapters.cache import TieredCache
from adapters.inference.scheduler import InferenceScheduler
from adapters.llm.gemini import GeminiReviewer
from adapters.llm.openai_compat import OpenAiReviewer
from adapters.observability.metrics import Metrics
from application.ports.analysis import LanguageModel
from application.use_cases.analyze_text import AnalysisLimits
from domain.cefr.scale import CefrThresholds
from entrypoints.service_info import engine_version
from entrypoints.settings import Settings


def checker(
    models: ModelManager, parsed: ParsedTexts, runner: InferenceScheduler, settings: Settings
) -> LocalGrammarChecker:
    return LocalGrammarChecker(models, parsed, runner, checker_options(settings),
                               harper_workers=settings.inference.concurrency, tagger=grammar_tagger(settings))


def checker_options(settings: Settings) -> CheckerOptions:
    """The grammar detectors the settings switch on."""
    return CheckerOptions(tagger=settings.engines.grammar_tagger, languagetool=settings.engines.grammar_languagetool)


def grammar_tagger(settings: Settings, decision: TaggerDecision | None = None,
                   switched_on: bool | None = None) -> TaggerDetector | None:
    """The learner-error tagger when it is switched on (by the settings unless `switched_on` says) and its
    model is there (a checkout whose model file was removed still serves the other detectors)."""
    if not (settings.engines.grammar_tagger if switched_on is None else switched_on):
        return None
    model = TaggerModel(settings.engines.grammar_tagger_path or MODEL_DIR)
    return TaggerDetector(model, decision) if model.available else None


def llms(settings: Settings, metrics: Metrics) -> dict[str, LanguageModel]:
    """Every provider that has what it needs; the request (or `llm_provider`) picks one."""
    engines = settings.engines
    timeout = engines.llm_timeout_seconds
    llms: dict[str, LanguageModel] = {}
    if engines.gemini_api_key is not None:
        model = engines.llm_model if engines.llm_provider == "gemini" else None
        llms["gemini"] = GeminiReviewer(engines.gemini_api_key.get_secret_value(), model, timeout, metrics,
                                        base_url=engines.gemini_base_url)
    if engines.openai_api_key is not None or engines.openai_base_url is not None:
        key = engines.openai_api_key.get_secret_value() if engines.openai_api_key else None
        model = engines.llm_model if engines.llm_provider == "openai" else None
        llms["openai"] = OpenAiReviewer(key, model, timeout, metrics, base_url=engines.openai_base_url)
    return llms


def analysis_limits(settings: Settings) -> AnalysisLimits:
    ttl = settings.cache.ttl_analysis_seconds if settings.cache.enabled else 0
    return AnalysisLimits(settings.engines.analysis_max_characters, ttl, engine_version(),
                          batch_concurrency=settings.inference.concurrency, measured_recall=load_measured_recall())


def cefr_model(settings: Settings, parsed: ParsedTexts, runner: InferenceScheduler) -> Any:
    """Built lazily: the parser and the model file load on the first assessment."""
    if not settings.features.cefr:
        return None
    from adapters.cefr.model import LocalCefrModel

    return LocalCefrModel(
        settings.engines.cefr_model_path,
        CefrThresholds(tuple(settings.cefr.thresholds)),
        runner=runner,
        known_parse=parsed.known,
        pipeline=parsed.pipeline,
    )


def assess_cefr(model: Any, cache: TieredCache, settings: Settings) -> Any:
    from application.use_cases.assess_cefr import AssessCefr

    ttl = settings.cache.ttl_cefr_seconds if settings.cache.enabled else 0  # 0: nothing is kept
    return AssessCefr(model, cache, ttl) if model is not None else None
