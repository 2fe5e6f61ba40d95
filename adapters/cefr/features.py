"""Lexical, syntactic, accuracy and fluency features of a parsed text, and its learner-facing profile."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token
from wordfreq import zipf_frequency

from adapters.analysis.rules import detect_all
from adapters.cefr import grammar
from adapters.cefr.profiles import Lexicon, default_grammar
from adapters.cefr.text import Prepared
from domain.cefr.assessment import TextKind
from domain.cefr.profile import Direction, Metric, TextProfile
from domain.cefr.scale import LEVELS, CefrLevel

CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV"})
POS_TAGS = (
    "NOUN",
    "VERB",
    "ADJ",
    "ADV",
    "ADP",
    "PRON",
    "DET",
    "CCONJ",
    "SCONJ",
    "AUX",
    "PROPN",
    "PART",
    "NUM",
)
SUBORDINATE_DEPS = frozenset({"advcl", "relcl", "ccomp", "csubj", "acl", "xcomp"})
LENGTH_CAP = 150
SHORT_LENGTH_CAP = 50
"""Length tells a fragment from a text; past this many words it would only reward volume."""
WINDOW_WORDS = 100
"""Counts of distinct things (structures, tenses) grow with length; they are taken per window of this
many words and averaged, as MATTR does for word types."""
CONNECTORS = frozenset(
    {
        "however",
        "moreover",
        "therefore",
        "although",
        "though",
        "whereas",
        "furthermore",
        "nevertheless",
        "consequently",
        "meanwhile",
        "unless",
        "despite",
        "instead",
        "otherwise",
        "hence",
        "thus",
        "besides",
    }
)
TENSE_CODES = (
    "TA.PRESENT.do.AFF",
    "TA.PRPRG.AFF",
    "TA.PAST.do.AFF",
    "TA.PASTPRG.AFF",
    "TA.PRPF.AFF",
    "TA.PRPFPRG.AFF",
    "TA.PASTPF.AFF",
    "TA.FUT.AFF",
    "TA.FUTPRG.AFF",
    "TA.FUTPF.AFF",
    "MD.be_going_to.AFF",
)

METRICS: tuple[Metric, ...] = (
    Metric("mean_sentence_length", "sentence length", "words per sentence", Direction.HIGHER_IS_BETTER),
    Metric("clauses_per_sentence", "sentence complexity", "clauses per sentence", Direction.HIGHER_IS_BETTER),
    Metric("mtld", "lexical diversity", "(MTLD)", Direction.HIGHER_IS_BETTER),
    Metric("tense_variety", "tense and aspect variety", "different tenses", Direction.HIGHER_IS_BETTER),
    Metric("spelling_errors_per_100", "spelling", "errors per 100 words", Direction.LOWER_IS_BETTER),
    Metric(
        "fillers_per_100",
        "fluency: fillers and hesitations",
        "per 100 words",
        Direction.LOWER_IS_BETTER,
        spoken_only=True,
    ),
    Metric(
        "repetitions_per_100",
        "fluency: repetitions and false starts",
        "per 100 words",
        Direction.LOWER_IS_BETTER,
        spoken_only=True,
    ),
)


@dataclass(frozen=True)
class Extraction:
    values: dict[str, float]
    profile: TextProfile
    pos_sequence: str
    """The POS tags joined by spaces: the model's syntactic n-gram input."""


def mtld(words: list[str], threshold: float = 0.72) -> float:
    """Measure of Textual Lexical Diversity (McCarthy & Jarvis 2010), averaged over both directions."""
    if not words:
        return 0.0

    def one_way(seq: list[str]) -> float:
        factors, types, count = 0.0, set(), 0
        for word in seq:
            types.add(word)
            count += 1
            if len(types) / count <= threshold:
                factors += 1
                types, count = set(), 0
        if count:
            factors += (1 - len(types) / count) / (1 - threshold)
        return len(seq) / factors if factors else float(len(seq))

    return (one_way(words) + one_way(words[::-1])) / 2


def windows(doc: Doc | Span, size: int = WINDOW_WORDS) -> list[Span]:
    """Consecutive spans of `size` words (punctuation not counted); a last window under half that size joins
    the one before, so every window holds 0.5 to 1.5 x `size` words, or the whole of a shorter text."""
    words = [t.i for t in doc if not t.is_punct and not t.is_space]
    span = doc[:] if isinstance(doc, Doc) else doc
    starts = [words[k] for k in range(0, len(words), size) if k == 0 or len(words) - k >= size // 2]
    if not starts:
        return [span]
    starts[0] = span.start
    ends = [*starts[1:], span.end]
    return [span.doc[a:b] for a, b in zip(starts, ends, strict=True)]


def _percentile(values: list[int], q: float) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(q * len(ordered)))])


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 100:
        token = token.head
        depth += 1
    return depth


def _is_misspelt(token: Token, zipf: float) -> bool:
    text = token.text
    return bool(text.isalpha() and len(text) > 2 and zipf == 0.0 and not text[0].isupper())


def extract(doc: Doc, prepared: Prepared, lexicon: Lexicon) -> Extraction:
    words = [t for t in doc if not t.is_punct and not t.is_space]
    n_words = max(len(words), 1)
    sentences: list[Span] = [s for s in doc.sents if any(not t.is_punct for t in s)] or [doc[:]]
    lowered = [t.lower_ for t in words]
    zipfs = [zipf_frequency(w, "en") for w in lowered]
    per100 = 100.0 / n_words
    v: dict[str, float] = {}

    # lexical
    level_counts: Counter[CefrLevel] = Counter()
    by_level: dict[CefrLevel, Counter[str]] = {lv: Counter() for lv in LEVELS}
    unlisted = 0
    content = [(t, z) for t, z in zip(words, zipfs, strict=True) if t.pos_ in CONTENT_POS]
    for token, _ in content:
        level = lexicon.level(token.lemma_, token.pos_, token.text)
        if level is None:
            unlisted += 1
            continue
        level_counts[level] += 1
        by_level[level][token.lower_] += 1
    listed = sum(level_counts.values())
    share = {lv: level_counts[lv] / listed if listed else 0.0 for lv in LEVELS}
    for lv in LEVELS:
        v[f"vocab_{lv.value}"] = share[lv]
    v["vocab_above_A1"] = 1 - share[CefrLevel.A1]
    v["vocab_above_A2"] = sum(share[lv] for lv in LEVELS[2:])
    v["vocab_above_B1"] = sum(share[lv] for lv in LEVELS[3:])
    v["vocab_unlisted"] = unlisted / len(content) if content else 0.0
    content_zipf = [z for _, z in content if z > 0]
    v["zipf_mean"] = sum(content_zipf) / len(content_zipf) if content_zipf else 0.0
    v["zipf_below_4"] = sum(1 for z in content_zipf if z < 4) / len(content_zipf) if content_zipf else 0.0
    v["zipf_below_3"] = sum(1 for z in content_zipf if z < 3) / len(content_zipf) if content_zipf else 0.0
    v["word_length"] = sum(len(t.text) for t in words) / n_words
    v["long_words"] = sum(1 for t in words if len(t.text) >= 7) / n_words
    v["ttr"] = len(set(lowered[:50])) / max(len(lowered[:50]), 1)
    v["mtld"] = mtld(lowered)
    v["log_words"] = math.log1p(min(n_words, LENGTH_CAP))
    v["log_words_short"] = math.log1p(min(n_words, SHORT_LENGTH_CAP))

    # syntactic
    sent_lengths = [sum(1 for t in s if not t.is_punct) for s in sentences]
    n_sent = len(sentences)
    v["mean_sentence_length"] = sum(sent_lengths) / n_sent
    subordinate = sum(1 for t in words if t.dep_ in SUBORDINATE_DEPS)
    finite = sum(1 for t in words if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass"))
    v["clauses_per_sentence"] = max(finite, 1) / n_sent
    v["subordinate_per_sentence"] = subordinate / n_sent
    v["relcl_per_sentence"] = sum(1 for t in words if t.dep_ == "relcl") / n_sent
    v["conj_per_sentence"] = sum(1 for t in words if t.dep_ == "conj") / n_sent
    depths = [max((_depth(t) for t in s), default=0) for s in sentences]
    v["parse_depth"] = sum(depths) / n_sent
    v["max_sentence_length"] = float(min(max(sent_lengths), 80))
    v["max_parse_depth"] = float(max(depths))
    v["sentence_length_p90"] = min(_percentile(sent_lengths, 0.9), 80.0)
    v["parse_depth_p90"] = _percentile(depths, 0.9)
    v["passives_per_sentence"] = sum(1 for t in words if t.dep_ in ("auxpass", "nsubjpass")) / n_sent
    # the same per clause and per word: transcripts have no punctuation to split sentences by, so on speech
    # the parser's sentences grow with the answer and every per-sentence rate with them
    clauses = max(finite, 1)
    v["words_per_clause"] = min(n_words / clauses, 40.0)
    v["subordinate_per_clause"] = subordinate / clauses
    v["relcl_per_clause"] = v["relcl_per_sentence"] * n_sent / clauses
    v["conj_per_clause"] = v["conj_per_sentence"] * n_sent / clauses
    v["passives_per_clause"] = v["passives_per_sentence"] * n_sent / clauses
    distances = [abs(t.i - t.head.i) for t in words if t.head.i != t.i]
    v["dependency_distance"] = sum(distances) / len(distances) if distances else 0.0
    v["connectors_per_100"] = sum(1 for w in lowered if w in CONNECTORS) * per100
    pos_counts = Counter(t.pos_ for t in words)
    for tag in POS_TAGS:
        v[f"pos_{tag}"] = pos_counts[tag] / n_words
    uses, tally = grammar.scan(doc)
    v["tense_variety"] = float(sum(1 for code in TENSE_CODES if code in tally))
    v["structures"] = float(len(uses))
    v["structure_max_level"] = float(max((u.structure.level.rank for u in uses), default=0))
    v["structures_per_100"] = sum(tally.values()) * per100
    spans = windows(doc)
    per_window = [(uses, tally)] if len(spans) == 1 else [grammar.scan(span) for span in spans]
    v["window_structure_types"] = sum(len(u) for u, _ in per_window) / len(per_window)
    v["window_structure_max_level"] = sum(
        max((use.structure.level.rank for use in u), default=0) for u, _ in per_window
    ) / len(per_window)
    v["window_tense_variety"] = sum(sum(1 for code in TENSE_CODES if code in t) for _, t in per_window) / len(
        per_window
    )
    for rank, lv in enumerate(LEVELS[:5]):
        used = sum(n for code, n in tally.items() if _level_rank(code) == rank)
        v[f"structures_{lv.value}_per_sentence"] = used / n_sent
        v[f"structures_{lv.value}_per_100"] = used * per100

    # accuracy
    misspelt = [t.text for t, z in zip(words, zipfs, strict=True) if _is_misspelt(t, z)]
    v["spelling_errors_per_100"] = len(misspelt) * per100
    # the analysis capability's learner-grammar rules (agreement, articles, verb forms ...) on the same parse
    v["grammar_errors_per_100"] = len(detect_all(doc)) * per100
    lower_i = sum(1 for t in words if t.text == "i")
    v["lowercase_i_per_100"] = lower_i * per100 if prepared.kind is TextKind.WRITTEN else 0.0

    # fluency (spoken)
    spoken = prepared.kind is TextKind.SPOKEN
    v["spoken"] = 1.0 if spoken else 0.0
    v["fillers_per_100"] = len(prepared.fillers) * per100
    v["repetitions_per_100"] = (len(prepared.repetitions) + len(prepared.false_starts)) * per100

    by_length = sorted(sentences, key=lambda s: len(s))
    examples = {
        "spelling_errors_per_100": tuple(dict.fromkeys(misspelt)),
        "fillers_per_100": tuple(dict.fromkeys(prepared.fillers)),
        "repetitions_per_100": tuple(dict.fromkeys(prepared.repetitions + prepared.false_starts)),
        "mean_sentence_length": tuple(s.text.strip() for s in by_length[:2]),
        "clauses_per_sentence": tuple(s.text.strip() for s in by_length[:2]),
        "simple_sentences": tuple(s.text.strip() for s in by_length[:2]),
        "tense_variety": tuple(e for u in uses if u.structure.code in TENSE_CODES for e in u.examples[:1]),
        "mtld": tuple(w for w, _ in Counter(t.lower_ for t, _ in content).most_common(4)),
    }
    profile = TextProfile(
        kind=prepared.kind,
        word_count=len(words),
        sentence_count=n_sent,
        vocabulary_share=share,
        words_by_level={lv: tuple(w for w, _ in c.most_common(8)) for lv, c in by_level.items() if c},
        structures=uses,
        metrics={m.name: round(v[m.name], 3) for m in METRICS},
        examples=examples,
    )
    pos_sequence = " ".join(t.tag_ for t in doc if not t.is_space)
    return Extraction(v, profile, pos_sequence)


def _level_rank(code: str) -> int:
    entry = default_grammar().get(code)
    return entry.level.rank if entry is not None else 0


FEATURE_NAMES: tuple[str, ...] = ()
"""Filled by the model bundle: the order of `values` the model was trained on."""
