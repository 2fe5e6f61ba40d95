"""The tagger as a detector: the words of each sentence of a parsed text go through the model, and each
position whose best change beats keeping the word (by the shipped margin) becomes a `Detection` in the
text's character offsets, for ERRANT to type like every other detector's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from adapters.analysis.tagger.model import PositionGuess, TaggerModel
from adapters.analysis.tagger.second_pass import again
from adapters.analysis.tagger.tags import APPEND, DELETE, INFLECT, REPLACE, word_edit
from domain.analysis.errors import Detection

WINDOW_WORDS = 80  # a longer "sentence" (an unpunctuated paragraph) is cut into windows of this many words


@dataclass(frozen=True)
class TaggerDecision:
    """When a guessed change is proposed: its probability beats KEEP's by `keep_margin` and reaches the
    minimum probability of its kind of change (`family_minimum`, else `min_probability`): GECToR's confidence
    bias and minimum error probability, per tag family as tuned on development data. A family's finding
    carries that family's measured precision there as its confidence (`family_precision`) when known."""

    keep_margin: float = 0.0
    min_probability: float = 0.5
    passes: int = 1
    family_minimum: dict[str, float] = field(default_factory=dict)
    family_precision: dict[str, float] = field(default_factory=dict)
    # (minimum probability, measured precision of the changes at or above it), from development data: a
    # change's confidence is the precision of its band, so the changes that are right less than half the time
    # reach the learner as hints, not corrections.
    bands: tuple[tuple[float, float], ...] = ()

    def minimum(self, family: str) -> float:
        return self.family_minimum.get(family, self.min_probability)

    def confidence(self, family: str, probability: float) -> float:
        """With `bands`, the measured precision of the highest band the probability reaches (0 below the
        first). Else the measured precision of the family when known, or 0.5 at the minimum, rising to 1 with
        the probability: a more probable change of a family wins an overlap with a less probable one."""
        if self.bands:
            reached = [precision for floor, precision in self.bands if probability >= floor]
            return reached[-1] if reached else 0.0
        minimum = self.minimum(family)
        rise = max(0.0, probability - minimum) / (1.0 - minimum) if minimum < 1.0 else 0.0
        if family in self.family_precision:
            return round(self.family_precision[family] + 0.05 * rise, 3)
        return round(0.5 + 0.5 * rise, 3)

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> TaggerDecision:
        return cls(float(settings.get("keep_margin", cls.keep_margin)),
                   float(settings.get("min_probability", cls.min_probability)),
                   int(settings.get("passes", cls.passes)),
                   {k: float(v) for k, v in settings.get("family_minimum", {}).items()},
                   {k: float(v) for k, v in settings.get("family_precision", {}).items()},
                   tuple(sorted((float(a), float(b)) for a, b in settings.get("bands", []))))


class TaggerDetector:
    def __init__(self, model: TaggerModel, decision: TaggerDecision | None = None) -> None:
        self._model = model
        self._decision = decision

    @property
    def decision(self) -> TaggerDecision:
        if self._decision is None:
            self._decision = TaggerDecision.from_settings(self._model.settings())
        return self._decision

    def with_decision(self, **changes: Any) -> TaggerDetector:
        """The same model with some thresholds changed (evaluation and tuning)."""
        return TaggerDetector(self._model, replace(self.decision, **changes))

    def warm_up(self) -> None:
        self._model.warm_up()

    def version(self) -> str:
        return f"tagger-{self._model.version()}"

    def detect(self, doc: Any, tokenizer: Any = None) -> list[Detection]:
        return self.detect_many([doc], tokenizer)[0]

    def detect_many(self, docs: Sequence[Any], tokenizer: Any = None) -> list[list[Detection]]:
        """Every text's detections, each sentence tagged on its own (`TaggerModel.guess`). With a `tokenizer`
        (spaCy's) and `passes` 2, the sentences a first pass changed are tagged again as corrected, as
        GECToR does: a word can need two changes (a missing article before a misspelt noun), and a change
        can reveal another; the second pass's changes of words the first left alone are added."""
        decision = self.decision
        first = self.guesses(docs)
        found = self.decide(docs, first, decision)
        if tokenizer is None or decision.passes < 2:
            return found
        for n, extra in again(self._model, docs, first, found, decision, tokenizer).items():
            found[n].extend(extra)
        return found

    def guesses(self, docs: Sequence[Any]) -> list[GuessedWindow]:
        """The model's guesses for every window of words of the texts (decided on by `decide`)."""
        windows = [(n, window) for n, doc in enumerate(docs) for window in _windows(doc)]
        guessed = self._model.guess([[t.text for t in window] for _, window in windows]) if windows else []
        return [GuessedWindow(n, window, g) for (n, window), g in zip(windows, guessed, strict=True)]

    @staticmethod
    def decide(docs: Sequence[Any], guessed: list[GuessedWindow], decision: TaggerDecision) -> list[list[Detection]]:
        found: list[list[Detection]] = [[] for _ in docs]
        texts = [doc.text for doc in docs]  # spaCy rebuilds `Doc.text` from every token on each read
        for window in guessed:
            found[window.text].extend(decide_window(texts[window.text], window, decision))
        return found


@dataclass(frozen=True)
class GuessedWindow:
    text: int  # which of the texts
    tokens: list[Any]  # its spaCy tokens, in order
    guesses: list[PositionGuess]  # $START, then one per token


def decide_window(text: str, window: GuessedWindow, decision: TaggerDecision) -> list[Detection]:
    words = [t.text for t in window.tokens]
    detections = []
    for position, guess in enumerate(window.guesses):
        family = tag_family(guess.tag)
        if guess.probability < decision.minimum(family) or \
                guess.probability < guess.keep_probability + decision.keep_margin:
            continue
        edit = word_edit(words, position, guess.tag)
        if edit is None:
            continue
        start, end = _char_span(text, window.tokens, edit.start, edit.end, deleting=not edit.replacement)
        detections.append(Detection(start, end, edit.replacement, f"tagger:{family}", "tagger",
                                    decision.confidence(family, guess.probability)))
    return detections


def tag_family(tag: str) -> str:
    """The kind of change a tag makes (a rule name for counting and calibrating: `append`, `inflect_vbz`)."""
    for prefix, family in ((APPEND, "append"), (REPLACE, "replace"), ("$CASE_", "case"),
                           (DELETE, "delete"), ("$MERGE_", "merge")):
        if tag.startswith(prefix):
            return family
    if tag.startswith(INFLECT):
        return "inflect_" + tag[len(INFLECT):].lower()
    return tag.strip("$").lower()


def _windows(doc: Any) -> list[list[Any]]:
    windows: list[list[Any]] = []
    for sentence in doc.sents:
        words = [t for t in sentence if not t.is_space]
        windows.extend(words[i:i + WINDOW_WORDS] for i in range(0, len(words), WINDOW_WORDS))
    return [w for w in windows if w]


def _char_span(text: str, tokens: list[Any], first: int, last: int, deleting: bool) -> tuple[int, int]:
    """The characters of words `first:last`; a deletion also takes the space before the words (or after
    them, at the start of a line) so that no double space is left."""
    start = tokens[first].idx
    end = tokens[last - 1].idx + len(tokens[last - 1].text)
    if deleting:
        if start > 0 and text[start - 1] == " ":
            start -= 1
        elif end < len(text) and text[end] == " ":
            end += 1
    return start, end
