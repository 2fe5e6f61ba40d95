"""One real analysis engine shared by the tests, and a container that uses it."""

from __future__ import annotations

from dataclasses import dataclass

from dependency_injector import providers

from adapters.analysis.checker import LocalGrammarChecker, ParsedTexts
from adapters.analysis.models import ModelManager
from adapters.analysis.profiler import LexicalProfiler
from adapters.inference.scheduler import InferenceScheduler
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings


@dataclass
class AnalysisEngine:
    models: ModelManager
    pool: InferenceScheduler
    checker: LocalGrammarChecker
    profiler: LexicalProfiler

    @classmethod
    def load(cls) -> AnalysisEngine:
        models = ModelManager()
        parsed = ParsedTexts(models)
        pool = InferenceScheduler(2, 120)
        # A generous Harper deadline: the CI machine is slow and shared; the deadline has its own test.
        from adapters.analysis.checker import CheckerOptions

        checker = LocalGrammarChecker(models, parsed, pool, CheckerOptions(harper_deadline_seconds=30,
                                                                           languagetool_deadline_seconds=30))
        profiler = LexicalProfiler(parsed, pool)
        checker.warm_up()
        profiler.warm_up()
        return cls(models, pool, checker, profiler)

    def close(self) -> None:
        self.checker.close()
        self.pool.close()

    def container(self, settings: Settings) -> Container:
        """The composition root for `settings`, with the shared engine instead of a fresh one."""
        container = build_container(settings)
        container.analysis_models.override(providers.Object(self.models))
        container.grammar_checker.override(providers.Object(self.checker))
        container.text_profiler.override(providers.Object(self.profiler))
        return container
