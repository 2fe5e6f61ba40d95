"""Harper (harper-py) as a detector: rules that mislead learners off, proper nouns masked, a deadline."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any

import structlog

from domain.analysis.errors import Detection

log = structlog.get_logger(__name__)

DETECTOR = "harper"
# Rules that teach learners something wrong or only restyle good English.
RULES_OFF = ("SplitWords", "OxfordComma", "LongSentences", "SpelledNumbers", "Dashes", "EllipsisLength",
             "BoringWords", "ExpandTimeShorthands", "WrongApostrophe",
             "AvoidAndAlso", "CompoundNouns", "UpdatePlaceNames", "CondenseAllThe", "OrthographicConsistency",
             "OkToOkay", "PluralDecades", "AvoidCurses", "CommaFixes")
KINDS_OFF = frozenset({"Style", "Readability", "Enhancement", "Formatting", "Miscellaneous", "Regionalism"})
# How much we trust each rule we keep: about its precision on the W&I development split (first 8,000 units
# of var/eval/wi_dev.m2, `englivo evaluate grammar --per-rule`, BENCHMARKS.md). Rules not measured there, or
# below one half, come back as hints.
CONFIDENCE = {"OneOfTheSingular": 0.9, "DidPast": 0.9, "CapitalizePersonalPronouns": 0.8, "DespiteOf": 0.8,
              "AdjectiveDoubleDegree": 0.45, "RegularIrregulars": 0.6, "InflectedVerbAfterTo": 0.45,
              "OpenCompounds": 0.6, "Nowadays": 0.6, "TakeCareOf": 0.6, "LookingForwardTo": 0.6,
              "SentenceCapitalization": 0.55, "RepeatedWords": 0.65, "AnA": 0.65, "MassNouns": 0.55,
              "Everyday": 0.55, "ItsContraction": 0.6, "Everyone": 0.6, "NominalWants": 0.6, "WillNonLemma": 0.55,
              "MergeWords": 0.6, "AwareOf": 0.6, "DoMistake": 0.6,
              # measured below one half on the full development split: hints
              "PronounVerbAgreement": 0.4, "SimplePastToPastParticiple": 0.35}
DEFAULT_CONFIDENCE = 0.45
SPELLING_SURE = 0.7
SPELLING_UNSURE = 0.45
SPELLING_MARGIN = 1.0  # how much better (in Zipf frequency) the best suggestion must score than the next


@dataclass(frozen=True)
class HarperOptions:
    tuned: bool = True  # False: Harper as shipped (the baseline)
    deadline_seconds: float = 0.5
    dialect: str = "AMERICAN"  # British spellings are accepted through ERRANT's en_GB word list


class HarperDetector:
    """One `harper.Linter` per worker thread (a Linter is not thread-safe); each call has a deadline,
    after which the text is analysed without Harper (the late call finishes in the background)."""

    def __init__(self, options: HarperOptions, workers: int = 2) -> None:
        self._options = options
        self._workers = workers
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="harper")
        self._warm = threading.Event()

    def _linter(self) -> Any:
        linter = getattr(self._local, "linter", None)
        if linter is None:
            import harper

            linter = harper.Linter(getattr(harper.Dialect, self._options.dialect))
            if self._options.tuned:
                config: dict[str, bool | None] = dict(linter.get_default_lint_config())
                config.update({rule: False for rule in RULES_OFF if rule in config})
                linter.set_lint_config(config)
            self._local.linter = linter
        return linter

    def warm_up(self) -> None:
        """Builds a Linter on every worker thread (about a second each): the barrier keeps each task on
        its own thread."""
        barrier = threading.Barrier(self._workers)

        def build() -> None:
            self._linter()
            barrier.wait(timeout=60)

        for future in [self._executor.submit(build) for _ in range(self._workers)]:
            future.result()
        self._warm.set()

    def detect(self, text: str, masked: Iterable[str] = ()) -> tuple[list[Detection], bool]:
        """The detections, and whether Harper answered within its deadline."""
        mask = "|".join(rf"\b{re.escape(word)}\b" for word in sorted(set(masked))) or None
        future = self._executor.submit(self._lint, text, mask)
        deadline = self._options.deadline_seconds if self._warm.is_set() else None
        try:
            lints = future.result(timeout=deadline)
        except FutureTimeout:
            log.warning("harper_deadline_passed", seconds=deadline, characters=len(text))
            return [], False
        self._warm.set()
        return [d for named in lints if (d := self._detection(named)) is not None], True

    def _lint(self, text: str, mask: str | None) -> list[tuple[str, Any]]:
        organized = self._linter().organized_lints(text, language="plaintext", regex_mask=mask)
        return [(rule, lint) for rule, lints in organized.items() for lint in lints]

    def _detection(self, named: tuple[str, Any]) -> Detection | None:
        rule, lint = named
        if not lint.suggestions or not lint.problem_text.strip():
            return None  # whitespace-only lints are formatting, not learner errors
        if not self._options.tuned:  # the baseline: every lint, its first suggestion, all shown
            return _as_shipped(rule, lint)
        if lint.lint_kind in KINDS_OFF or rule in RULES_OFF:
            return None
        if rule == "SpellCheck":
            replacement, confidence = best_spelling(lint.problem_text, [s.replacement_text for s in lint.suggestions])
        else:
            suggestion = lint.suggestions[0]
            kind = int(suggestion.kind)
            if kind == 2:  # insert after the problem text
                replacement = lint.problem_text + suggestion.replacement_text
            else:
                replacement = suggestion.replacement_text if kind == 0 else ""
            confidence = CONFIDENCE.get(rule, DEFAULT_CONFIDENCE)
        span = lint.span
        return Detection(span.start, span.end, replacement, f"harper:{rule}", DETECTOR, confidence,
                         message=lint.message)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)



def _as_shipped(rule: str, lint: Any) -> Detection:
    suggestion = lint.suggestions[0]
    kind = int(suggestion.kind)
    replacement = lint.problem_text + suggestion.replacement_text if kind == 2 else (
        suggestion.replacement_text if kind == 0 else "")
    return Detection(lint.span.start, lint.span.end, replacement, f"harper:{rule}", DETECTOR, 1.0,
                     message=lint.message)


def best_spelling(word: str, suggestions: list[str]) -> tuple[str, float]:
    """Harper orders suggestions by edit distance alone; a frequent word one edit away is more often what
    the learner meant. A clear winner is a correction; a close call is a hint."""
    from rapidfuzz.distance import OSA
    from wordfreq import zipf_frequency

    lower = word.lower()
    scored = sorted(((zipf_frequency(c, "en") - 2 * OSA.distance(lower, c.lower()), c) for c in suggestions),
                    reverse=True)
    best = scored[0][1]
    clear = len(scored) == 1 or scored[0][0] - scored[1][0] >= SPELLING_MARGIN
    return best, SPELLING_SURE if clear else SPELLING_UNSURE
