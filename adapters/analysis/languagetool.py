"""LanguageTool's English rules (through `lingotweaker`, a Rust port of LanguageTool, LGPL-2.1-or-later) as a
detector: only the rules whose precision on development data was measured high enough, each finding carrying
that precision as its confidence (adapters/analysis/data/languagetool_rules.json)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog

from domain.analysis.errors import Detection

log = structlog.get_logger(__name__)

DETECTOR = "languagetool"
LANGUAGE = "en-US"  # British spellings are accepted through the spelling filter below (ERRANT's en_GB list)
RULE_PRECISION_FILE = Path(__file__).parent / "data" / "languagetool_rules.json"
KEEP_PRECISION = 0.35  # rules measured below this on development data are off
MIN_SUPPORT = 10  # edits a rule must have proposed on development data for its precision to count
CHUNK_CHARACTERS = 1000  # sentences are checked in groups of about this many characters, between deadline checks
SUGGESTION_TAG = re.compile(r"</?suggestion>")
PAST, PRESENT = frozenset({"VBD", "VBN"}), frozenset({"VBP", "VBZ"})


@dataclass(frozen=True)
class LanguageToolOptions:
    calibrated: bool = True  # False: every rule, confidence 1 (to measure the rules on development data)
    deadline_seconds: float = 0.5
    rule_precision_file: Path = RULE_PRECISION_FILE


@dataclass(frozen=True)
class RulePrecision:
    """What development data says about one rule: edits proposed, edits right, their ratio."""

    proposed: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 0.0


def load_rule_precision(path: Path = RULE_PRECISION_FILE) -> dict[str, RulePrecision]:
    if not path.exists():
        return {}
    rules = json.loads(path.read_text())["rules"]
    return {rule: RulePrecision(int(row["proposed"]), int(row["correct"])) for rule, row in rules.items()}


def rule_precision_rows(proposed: Counter[str], correct: Counter[str]) -> dict[str, dict[str, float]]:
    """Edits proposed and right per rule, most proposed first: the rows `load_rule_precision` reads."""
    return {rule: {"proposed": n, "correct": correct[rule], "precision": round(correct[rule] / n, 4)}
            for rule, n in proposed.most_common()}


def kept_rules(measured: dict[str, RulePrecision]) -> dict[str, float]:
    """The rules switched on, with their confidence: measured often enough and right often enough."""
    return {rule: round(m.precision, 3) for rule, m in measured.items()
            if m.proposed >= MIN_SUPPORT and m.precision >= KEEP_PRECISION}


class LanguageToolDetector:
    """One `lt_py.Engine` for the process (about 430 MB and 4 s to load), shared by the detector's threads
    (the Rust object is `Sync`; concurrent checks return the same matches as serial ones). Its `check`
    releases the GIL, so `start` runs a check on the detector's own threads beside the caller's other work
    (the rules, the tagger and Harper: a third of a paragraph's check on one core). The text is checked a
    group of sentences at a time; once the deadline has passed the rest of the text goes unchecked."""

    def __init__(self, options: LanguageToolOptions | None = None, workers: int = 2) -> None:
        self._options = options or LanguageToolOptions()
        self._lock = threading.Lock()
        self._engine: Any = None
        self._confidence = kept_rules(load_rule_precision(self._options.rule_precision_file))
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="languagetool")

    @property
    def rules(self) -> dict[str, float]:
        """The rules this detector reports and their confidence (empty when uncalibrated: every rule, 1.0)."""
        return dict(self._confidence) if self._options.calibrated else {}

    def engine(self) -> Any:
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                import lingotweaker_data_en
                import lt_py

                started = time.perf_counter()
                # The data folder is named: left to find it, lt_py tries ./data first, which is another
                # folder whenever the working directory has one (tests/ has).
                self._engine = lt_py.Engine(LANGUAGE, data_dir=str(lingotweaker_data_en.data_dir()))
                log.info("model_loaded", model="lingotweaker-en", seconds=round(time.perf_counter() - started, 2),
                         rules=self._engine.rule_count)
            return self._engine

    def warm_up(self) -> None:
        self.engine().check("They was happy.")

    def start(self, doc: Any) -> Future[tuple[list[Detection], bool]]:
        """`detect` on the detector's threads: the caller collects the result when it needs it."""
        return self._executor.submit(self.detect, doc)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def detect(self, doc: Any) -> tuple[list[Detection], bool]:
        """The detections in a spaCy-parsed text, and whether every sentence was checked before the deadline."""
        engine = self.engine()
        text = doc.text
        started = time.perf_counter()
        found: list[Detection] = []
        for start, end in _chunks(doc):
            if time.perf_counter() - started > self._options.deadline_seconds:
                log.warning("languagetool_deadline_passed", seconds=self._options.deadline_seconds,
                            characters=len(text), checked=start)
                return found, False
            chunk = text[start:end]
            for match in engine.check(chunk):
                detection = self._detection(doc, text, chunk, start, match)
                if detection is not None:
                    found.append(detection)
        return found, True

    def _detection(self, doc: Any, text: str, chunk: str, offset: int, match: dict[str, Any]) -> Detection | None:
        """`text`: the doc's text, read once (spaCy rebuilds `Doc.text` from every token on each read)."""
        rule = match["rule_id"]
        if self._options.calibrated:
            confidence = self._confidence.get(rule)
            if confidence is None:
                return None
        else:
            confidence = 1.0
        suggestions = [s for s in match["suggestions"] if s is not None]
        if not suggestions:
            return None
        start, end = _code_points(chunk, match["offset"], match["length"])
        start, end = start + offset, end + offset
        if not text[start:end].strip():
            return None  # spaces only: formatting, not a learner's error (as for Harper)
        if match["issue_type"] == "misspelling" and not _unknown_word(text[start:end]):
            return None
        replacement = best_suggestion(doc, start, end, suggestions)
        if text[start:end] == replacement:
            return None
        message = SUGGESTION_TAG.sub("'", match["message"]).replace("''", "'")
        return Detection(start, end, replacement, f"{DETECTOR}:{rule}", DETECTOR, confidence, message=message)


def _unknown_word(word: str) -> bool:
    """A spelling rule's word that is worth correcting: as for Harper, not a capitalised word (a name), not a
    word with letters outside ASCII (a foreign word: "été") and not in ERRANT's word list (which has the
    British spellings an en-US speller flags)."""
    from errant.en import classifier

    return word.isascii() and not word[:1].isupper() and word.lower() not in classifier.spell


def _code_points(text: str, offset: int, length: int) -> tuple[int, int]:
    """lt_py's offsets count UTF-8 bytes; the engine's count code points."""
    if text.isascii():
        return offset, offset + length
    encoded = text.encode("utf-8")
    start = len(encoded[:offset].decode("utf-8", errors="ignore"))
    end = start + len(encoded[offset:offset + length].decode("utf-8", errors="ignore"))
    return start, end


def _chunks(doc: Any) -> list[tuple[int, int]]:
    """Character spans of groups of whole sentences, each about CHUNK_CHARACTERS long (one long sentence alone)."""
    chunks: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    for sentence in doc.sents:
        if start is not None and sentence.end_char - start > CHUNK_CHARACTERS:
            chunks.append((start, end))
            start = None
        if start is None:
            start = sentence.start_char
        end = sentence.end_char
    if start is not None:
        chunks.append((start, end))
    return chunks


def best_suggestion(doc: Any, start: int, end: int, suggestions: list[str]) -> str:
    """LanguageTool lists a rule's suggestions in its own order ("they was" -> are, were). Where the flagged
    words are one verb, the suggestion that is the same verb in the same tense keeps what the learner meant
    ("was" is past: "were"); otherwise the first."""
    if len(suggestions) == 1:
        return suggestions[0]
    span = doc.char_span(start, end)
    if span is None or len(span) != 1 or not span[0].tag_.startswith("VB"):
        return suggestions[0]
    token = span[0]
    tense = PAST if token.tag_ in PAST else PRESENT if token.tag_ in PRESENT else None
    if tense is None:
        return suggestions[0]
    for suggestion in suggestions:
        if _verb_tags(suggestion, token.lemma_.lower()) & tense:
            return suggestion
    return suggestions[0]


def _verb_tags(word: str, lemma: str) -> set[str]:
    """The Penn tags `word` has as a form of the verb `lemma` (empty when it is not one)."""
    from lemminflect import getAllInflections, getAllInflectionsOOV

    if " " in word:
        return set()
    lower = word.lower()
    inflections = getAllInflections(lemma, upos="VERB") or getAllInflectionsOOV(lemma, upos="VERB")
    return {tag for tag, forms in inflections.items() if lower in forms}
