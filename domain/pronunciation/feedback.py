"""Learner feedback from one assessment: the phones most often wrong, tips for them, words to practise."""

from __future__ import annotations

from collections import Counter

from domain.pronunciation.assessment import PhonemeScore, WordErrorKind, WordScore
from domain.pronunciation.phonemes import articulation_tip, to_ipa


def _flagged(words: tuple[WordScore, ...]) -> list[PhonemeScore]:
    return [p for w in words for p in w.phonemes if p.mispronounced]


def common_issues(words: tuple[WordScore, ...], limit: int = 3) -> list[str]:
    """E.g. "/θ/ said as /s/ (2 times)": substitutions first, then phones that were weak without a clear
    substitute; omitted words last."""
    confusions = Counter(
        (p.expected, p.heard) for p in _flagged(words) if p.heard and p.heard not in (p.expected, "SIL")
    )
    issues = [
        f"/{to_ipa(e)}/ said as /{to_ipa(h)}/ ({n} time{'s' if n > 1 else ''})"
        for (e, h), n in confusions.most_common(limit)
    ]
    if len(issues) < limit:
        unclear = Counter(p.expected for p in _flagged(words) if not p.heard or p.heard in (p.expected, "SIL"))
        issues += [f"/{to_ipa(e)}/ unclear ({n} time{'s' if n > 1 else ''})"
                   for e, n in unclear.most_common(limit - len(issues))]
    omitted = [w.text for w in words if w.error is WordErrorKind.OMISSION]
    if omitted:
        issues.append("words left out: " + ", ".join(dict.fromkeys(omitted)))
    return issues


def improvement_tips(words: tuple[WordScore, ...], limit: int = 3) -> list[str]:
    counts = Counter(p.expected for p in _flagged(words))
    return [tip for phone, _ in counts.most_common(limit) if (tip := articulation_tip(phone))]


def words_to_practise(words: tuple[WordScore, ...], limit: int = 5) -> list[str]:
    weak = sorted(
        (w for w in words if w.error in (WordErrorKind.MISPRONUNCIATION, WordErrorKind.OMISSION)),
        key=lambda w: w.accuracy,
    )
    return list(dict.fromkeys(w.text.lower() for w in weak))[:limit]
