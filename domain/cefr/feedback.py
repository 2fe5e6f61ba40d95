"""Strengths, weaknesses and what the next level needs, from a text profile against per-level norms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.cefr.assessment import Evidence, TextKind
from domain.cefr.profile import LevelNorms, Structure, TextProfile
from domain.cefr.scale import LEVELS, CefrLevel

MAX_EXAMPLES = 4
VOCABULARY_PRESENCE = 0.05
"""A level counts as used once this share of the listed content words belongs to it."""
MIN_WORDS_FOR_METRICS = 20


@dataclass(frozen=True)
class Feedback:
    strengths: tuple[Evidence, ...]
    weaknesses: tuple[Evidence, ...]
    next_level_requirements: tuple[Evidence, ...]


def vocabulary_level(profile: TextProfile) -> CefrLevel:
    """The highest level that holds a noticeable share of the content words (A1 when none do)."""
    present = [lv for lv in LEVELS if profile.vocabulary_share.get(lv, 0.0) >= VOCABULARY_PRESENCE]
    return max(present, key=lambda lv: lv.rank) if present else CefrLevel.A1


def share_above(profile: TextProfile, level: CefrLevel) -> float:
    return sum(share for lv, share in profile.vocabulary_share.items() if lv.rank > level.rank)


def words_above(profile: TextProfile, level: CefrLevel) -> tuple[str, ...]:
    above = sorted((lv for lv in profile.words_by_level if lv.rank > level.rank), key=lambda lv: -lv.rank)
    return _take(word for lv in above for word in profile.words_by_level[lv])


def _take(items: Iterable[str], limit: int = MAX_EXAMPLES) -> tuple[str, ...]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
        if len(seen) == limit:
            break
    return tuple(seen)


def _quote(words: Sequence[str]) -> str:
    return ", ".join(f'"{w}"' for w in words)


def vocabulary_feedback(profile: TextProfile, level: CefrLevel) -> Feedback:
    vocab = vocabulary_level(profile)
    strengths: list[Evidence] = []
    weaknesses: list[Evidence] = []
    needs: list[Evidence] = []
    if vocab.rank >= level.rank and vocab.rank > 0:
        examples = words_above(profile, LEVELS[max(level.rank, 1) - 1])
        detail = f"Uses {vocab.value} vocabulary, such as {_quote(examples)}."
        strengths.append(Evidence("vocabulary range", detail, examples))
    elif level.rank > 0:
        common = _take(profile.words_by_level.get(vocab, ()))
        weaknesses.append(
            Evidence(
                "vocabulary range",
                f"Uses mostly {vocab.value} vocabulary ({_quote(common)}); "
                f"few words above {vocab.value} level.",
                common,
            )
        )
    target = level.next()
    if target is not None:
        have = share_above(profile, LEVELS[target.rank - 1])
        alternatives = _take(profile.words_by_level.get(CefrLevel.A1, ()))
        needs.append(
            Evidence(
                f"{target.value} vocabulary",
                f"{target.value} texts use more {target.value}-level words; {have:.0%} of yours are at "
                f"{target.value} or above. Try less common words in place of {_quote(alternatives)}.",
                alternatives,
            )
        )
    return Feedback(tuple(strengths), tuple(weaknesses), tuple(needs))


def grammar_feedback(profile: TextProfile, level: CefrLevel, catalogue: Sequence[Structure]) -> Feedback:
    advanced = [use for use in profile.structures if use.structure.level.rank >= max(level.rank, 1)]
    advanced.sort(key=lambda use: -use.structure.level.rank)
    strengths = tuple(
        Evidence(
            use.structure.label,
            f"Uses {use.structure.label} ({use.structure.level.value}).",
            use.examples[:MAX_EXAMPLES],
        )
        for use in advanced[:3]
    )
    target = level.next()
    needs: list[Evidence] = []
    if target is not None:
        used = profile.used_codes()
        missing = [s for s in catalogue if s.level is target and s.code not in used]
        missing += [
            s
            for s in catalogue
            if s.level.rank < target.rank
            and s.level.rank >= level.rank
            and s.code not in used
            and s not in missing
        ]
        if missing:
            labels = [s.label for s in missing[:3]]
            simple = profile.examples.get("simple_sentences", ())[:2]
            detail = f"{target.value} learners use {', '.join(labels)}; your text does not yet."
            if simple:
                detail += f" For example, develop {_quote(simple)}."
            needs.append(Evidence(f"{target.value} grammar", detail, simple))
    weaknesses: tuple[Evidence, ...] = ()
    used_levels = [use.structure.level.rank for use in profile.structures]
    if level.rank > 0 and (not used_levels or max(used_levels) < level.rank - 1):
        simple = profile.examples.get("simple_sentences", ())[:2]
        weaknesses = (Evidence("grammar range", "Relies on basic structures only.", simple),)
    return Feedback(strengths, weaknesses, tuple(needs))


def _fmt(value: float, unit: str) -> str:
    return f"{value:.1f} {unit}".strip()


def metric_feedback(profile: TextProfile, level: CefrLevel, norms: Sequence[LevelNorms]) -> Feedback:
    """A metric beyond the typical range of the assessed level is a strength or a weakness (by its
    direction); one short of the next level's median is a requirement. Short texts get no metric feedback."""
    strengths: list[Evidence] = []
    weaknesses: list[Evidence] = []
    needs: list[Evidence] = []
    if profile.word_count < MIN_WORDS_FOR_METRICS:
        return Feedback((), (), ())
    target = level.next()
    for norm in norms:
        metric = norm.metric
        if metric.spoken_only and profile.kind is not TextKind.SPOKEN:
            continue
        value = profile.metrics.get(metric.name)
        here = norm.by_level.get(level)
        if value is None or here is None:
            continue
        signed = metric.direction.value
        examples = profile.examples.get(metric.name, ())[:MAX_EXAMPLES]
        if signed * (value - (here.high if signed > 0 else here.low)) > 0:
            strengths.append(
                Evidence(
                    metric.label,
                    f"{_fmt(value, metric.unit)}, better than is typical at "
                    f"{level.value} ({_fmt(here.median, metric.unit)}).",
                    examples,
                )
            )
        elif signed * (value - (here.low if signed > 0 else here.high)) < 0:
            weaknesses.append(
                Evidence(
                    metric.label,
                    f"{_fmt(value, metric.unit)}, weaker than is typical at "
                    f"{level.value} ({_fmt(here.median, metric.unit)}).",
                    examples,
                )
            )
        nxt = norm.by_level.get(target) if target is not None else None
        if target is not None and nxt is not None and signed * (value - nxt.median) < 0:
            typical = _fmt(nxt.median, metric.unit)
            detail = f"{target.value} texts typically show {typical}; yours: {_fmt(value, metric.unit)}."
            needs.append(Evidence(metric.label, detail, examples))
    return Feedback(tuple(strengths), tuple(weaknesses), tuple(needs))


def explain(
    profile: TextProfile, level: CefrLevel, norms: Sequence[LevelNorms], catalogue: Sequence[Structure]
) -> Feedback:
    parts = (
        vocabulary_feedback(profile, level),
        grammar_feedback(profile, level, catalogue),
        metric_feedback(profile, level, norms),
    )
    return Feedback(
        strengths=tuple(e for part in parts for e in part.strengths),
        weaknesses=tuple(e for part in parts for e in part.weaknesses),
        next_level_requirements=tuple(e for part in parts for e in part.next_level_requirements),
    )
