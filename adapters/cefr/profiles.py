"""The CEFR-J / Octanove vocabulary and CEFR-J grammar profiles, as compact files shipped in the repository.

`build_profiles` derives them from the original CSVs (../shared/data/cefr/profiles); at run time only the
derived files under `adapters/cefr/data/` are read. Licences: see `adapters/cefr/data/NOTICE.md`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from domain.cefr.scale import CefrLevel

DATA_DIR = Path(__file__).resolve().parent / "data"
VOCABULARY_FILE = "vocabulary.tsv"
GRAMMAR_FILE = "grammar.tsv"

# CEFR-J part-of-speech names -> Universal POS tags as spaCy assigns them.
_POS = {
    "noun": "NOUN",
    "verb": "VERB",
    "adjective": "ADJ",
    "adverb": "ADV",
    "pronoun": "PRON",
    "preposition": "ADP",
    "determiner": "DET",
    "conjunction": "CCONJ",
    "number": "NUM",
    "modal auxiliary": "AUX",
    "be-verb": "AUX",
    "do-verb": "AUX",
    "have-verb": "AUX",
    "interjection": "INTJ",
    "infinitive-to": "PART",
}
_LEVEL = re.compile(r"([ABC][12])")


@dataclass(frozen=True)
class GrammarEntry:
    code: str
    name: str
    level: CefrLevel


def _first_level(*cells: str) -> CefrLevel | None:
    for cell in cells:
        match = _LEVEL.search(cell or "")
        if match:
            return CefrLevel(match.group(1))
    return None


def build_profiles(profiles_dir: Path, out_dir: Path = DATA_DIR) -> tuple[Path, Path]:
    """Write `vocabulary.tsv` (word, pos, level; the lowest level wins) and `grammar.tsv` (code, item, level:
    the CEFR-J level where given, else the lowest English Grammar Profile / Core Inventory / GSE level)."""
    best: dict[tuple[str, str], CefrLevel] = {}
    sources = (
        ("cefrj-vocabulary-profile-1.5.csv", "CEFR"),
        ("octanove-vocabulary-profile-c1c2-1.0.csv", "CEFR"),
    )
    for name, column in sources:
        with (profiles_dir / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                level = _first_level(row[column])
                pos = _POS.get(row["pos"].strip(), "X")
                if level is None:
                    continue
                for word in row["headword"].split("/"):
                    word = word.strip().lower()
                    if not word or " " in word:
                        continue
                    key = (word, pos)
                    if key not in best or level.rank < best[key].rank:
                        best[key] = level
    out_dir.mkdir(parents=True, exist_ok=True)
    vocabulary = out_dir / VOCABULARY_FILE
    with vocabulary.open("w", encoding="utf-8") as handle:
        for (word, pos), level in sorted(best.items()):
            handle.write(f"{word}\t{pos}\t{level.value}\n")
    grammar = out_dir / GRAMMAR_FILE
    with (
        (profiles_dir / "cefrj-grammar-profile-20180315.csv").open(encoding="utf-8") as src,
        grammar.open("w", encoding="utf-8") as handle,
    ):
        for row in csv.DictReader(src):
            level = _first_level(row["CEFR-J Level"], row["EGP"], row["Core Inventory"], row["GSELO"])
            code = row["Shorthand Code"].strip()
            if level is None or not code:
                continue
            item = " ".join(row["Grammatical Item"].split())
            handle.write(f"{code}\t{item}\t{level.value}\n")
    return vocabulary, grammar


class Lexicon:
    """Word -> CEFR level lookups by lemma and coarse part of speech."""

    def __init__(self, by_pos: dict[tuple[str, str], CefrLevel], any_pos: dict[str, CefrLevel]) -> None:
        self._by_pos = by_pos
        self._any_pos = any_pos

    @classmethod
    def load(cls, path: Path = DATA_DIR / VOCABULARY_FILE) -> Lexicon:
        by_pos: dict[tuple[str, str], CefrLevel] = {}
        any_pos: dict[str, CefrLevel] = {}
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                word, pos, level_name = line.rstrip("\n").split("\t")
                level = CefrLevel(level_name)
                by_pos[(word, pos)] = level
                if word not in any_pos or level.rank < any_pos[word].rank:
                    any_pos[word] = level
        return cls(by_pos, any_pos)

    def level(self, lemma: str, pos: str, form: str = "") -> CefrLevel | None:
        lemma = lemma.lower()
        pos = "VERB" if pos == "AUX" and (lemma, "VERB") in self._by_pos else pos
        pos = "CCONJ" if pos == "SCONJ" else pos
        return (
            self._by_pos.get((lemma, pos))
            or self._any_pos.get(lemma)
            or (self._any_pos.get(form.lower()) if form else None)
        )


def load_grammar(path: Path = DATA_DIR / GRAMMAR_FILE) -> dict[str, GrammarEntry]:
    entries: dict[str, GrammarEntry] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            code, name, level = line.rstrip("\n").split("\t")
            entries.setdefault(code, GrammarEntry(code, name, CefrLevel(level)))
    return entries


@cache
def default_lexicon() -> Lexicon:
    return Lexicon.load()


@cache
def default_grammar() -> dict[str, GrammarEntry]:
    return load_grammar()
