"""The lexical profile of a text: its words and sentences, each word's CEFR vocabulary level
(CEFR-J / Octanove lists shipped in data/) and its frequency in general English (wordfreq)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from adapters.analysis.checker import ParsedTexts
from application.ports.inference import InferenceRunner
from domain.analysis.metrics import TextProfile
from domain.cefr.scale import CefrLevel
from domain.progress.records import LemmaUse

LEVELS_FILE = Path(__file__).parent / "data" / "vocabulary_levels.tsv"
RARE_ZIPF = 3.0  # rarer than about 1 in a million words
CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV"})


class VocabularyLevels:
    def __init__(self, path: Path = LEVELS_FILE) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._levels: dict[str, CefrLevel] | None = None

    def level(self, *forms: str) -> CefrLevel | None:
        levels = self._load()
        return next((levels[f] for f in forms if f in levels), None)

    def _load(self) -> dict[str, CefrLevel]:
        with self._lock:
            if self._levels is None:
                rows = (line.split("\t") for line in self._path.read_text().splitlines() if line)
                self._levels = {word: CefrLevel(level) for word, level in rows}
            return self._levels


class LexicalProfiler:
    def __init__(self, parsed: ParsedTexts, runner: InferenceRunner, levels: VocabularyLevels | None = None) -> None:
        self._parsed = parsed
        self._runner = runner
        self._levels = levels or VocabularyLevels()

    async def profile(self, text: str) -> TextProfile:
        return await self._runner.run(self.profile_sync, text)

    def warm_up(self) -> None:
        self._levels.level("warm")
        _zipf("warm")

    def profile_sync(self, text: str) -> TextProfile:
        doc = self._parsed.parse(text)
        words = [t for t in doc if t.is_alpha]
        sentences = sum(1 for s in doc.sents if any(t.is_alpha for t in s))
        return TextProfile(
            words=tuple(t.text for t in words),
            sentence_count=sentences,
            word_levels=tuple(self._level(t) for t in words),
            rare_words=sum(1 for t in words if t.pos_ != "PROPN" and _zipf(t.lower_) < RARE_ZIPF),
            lemmas=self._lemmas(words),
        )

    def _lemmas(self, words: list[Any]) -> tuple[LemmaUse, ...]:
        """Content words only: function words and names say nothing about a learner's vocabulary."""
        found: dict[str, LemmaUse] = {}
        for token in words:
            lemma = token.lemma_.lower()
            if token.pos_ in CONTENT_POS and len(lemma) > 1 and lemma not in found:
                found[lemma] = LemmaUse(lemma, self._levels.level(lemma, token.lower_))
        return tuple(found.values())

    def _level(self, token: Any) -> CefrLevel | None:
        return self._levels.level(token.lower_, token.lemma_.lower())


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))
