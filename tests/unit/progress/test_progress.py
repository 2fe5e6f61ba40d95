from __future__ import annotations

from datetime import timedelta

import pytest

from domain.cefr.scale import CefrLevel
from domain.progress.patterns import Direction
from domain.progress.records import Granularity, PhonemeStat, SessionRecord
from domain.progress.report import build_progress
from domain.results import ResultKind
from tests.unit.progress.histories import START, falling_articles, history, text_session


def series(progress: object, name: str) -> list[object]:
    return [s for s in progress.series if s.name == name]  # type: ignore[attr-defined]


def test_an_empty_history_has_no_trend_and_no_series() -> None:
    progress = build_progress(history())
    assert progress.sessions == 0 and progress.series == () and progress.error_patterns == ()
    assert progress.improvement is None and progress.current_level is None
    assert progress.recommendations == () and not progress.mixed_engine_versions


def test_one_session_gets_a_report_without_a_trend() -> None:
    progress = build_progress(history(text_session(0, 52, {"article": 3})))
    assert progress.sessions == 1 and progress.current_level is CefrLevel.B1
    assert progress.improvement is None
    [pattern] = progress.error_patterns
    assert pattern.count == 3 and pattern.per_100_words == 3.0
    assert pattern.trend is None and pattern.direction is None
    [cefr] = series(progress, "cefr_score")
    assert [(p.value, p.label) for p in cefr.points] == [(52, "B1")]  # type: ignore[attr-defined]


def test_falling_article_errors_show_as_improving() -> None:
    progress = build_progress(falling_articles())
    article, tense = progress.error_patterns
    assert (article.type, article.count, article.sessions) == ("article", 22, 5)
    assert article.per_100_words == pytest.approx(4.4)
    assert article.trend is not None and article.trend < 0
    assert article.direction is Direction.IMPROVING
    assert tense.direction is Direction.STABLE and tense.trend == 0
    assert article.rule == "rules:article.a_an"
    assert article.examples == ("a apple 4", "a apple 3", "a apple 2")
    [rates] = series(progress, "errors:article")
    assert [p.value for p in rates.points] == [8, 6, 4, 3, 1]  # type: ignore[attr-defined]


def test_improvement_rate_is_three_points_a_week() -> None:
    rate = build_progress(falling_articles()).improvement
    assert rate is not None
    assert rate.per_week == pytest.approx(3.0) and rate.standard_error == pytest.approx(0)
    assert rate.significant and rate.sessions == 5


def test_a_noisy_rise_is_not_significant() -> None:
    records = [text_session(i, s, {}) for i, s in enumerate((50, 40, 58, 45))]
    rate = build_progress(history(*records)).improvement
    assert rate is not None and rate.per_week > 0 and not rate.significant
    assert rate.standard_error is not None and rate.standard_error > rate.per_week / 4.303


def test_smoothed_cefr_follows_the_raw_scores() -> None:
    progress = build_progress(falling_articles())
    [raw] = series(progress, "cefr_score")
    [smooth] = series(progress, "cefr_score_smoothed")
    raw_values = [p.value for p in raw.points]  # type: ignore[attr-defined]
    smooth_values = [p.value for p in smooth.points]  # type: ignore[attr-defined]
    assert smooth_values[0] == raw_values[0]
    assert all(s < r for s, r in zip(smooth_values[1:], raw_values[1:], strict=True))


def test_mixed_engine_versions_are_marked_and_never_share_a_series() -> None:
    old = [text_session(i, 70 - 2 * i, {"article": 5}, scale="v1") for i in range(3)]
    # the new engine scores the same learner 20 points lower: a trend across both would be a fake fall
    new = [text_session(i, 50 + 2 * (i - 3), {"article": 2}, scale="v2") for i in range(3, 6)]
    progress = build_progress(history(*old, *new))
    assert progress.mixed_engine_versions and progress.scales == ("v1", "v2")
    cefr = series(progress, "cefr_score")
    assert [s.scale for s in cefr] == ["v1", "v2"]  # type: ignore[attr-defined]
    assert progress.improvement is not None
    assert progress.improvement.scale == "v2" and progress.improvement.per_week > 0
    [pattern] = progress.error_patterns
    assert pattern.trend == 0  # 2 per 100 words in every v2 session


def test_different_kinds_on_their_own_scales_are_not_mixed() -> None:
    speech = SessionRecord("s9", ResultKind.TRANSCRIPTION, "whisper-1", START, 1, 120, words_per_minute=95,
                           mean_pause=0.8, filler_rate=7.0)
    progress = build_progress(history(text_session(0, 50, {}), speech))
    assert not progress.mixed_engine_versions
    assert {s.name for s in progress.series} >= {"words_per_minute", "mean_pause", "filler_rate"}
    areas = [r.area for r in progress.recommendations]
    assert areas == ["fluency:fillers", "fluency:rate"]  # 7 fillers per 100 words weigh more than 95 wpm


def test_vocabulary_grows_cumulatively_and_shifts_upwards() -> None:
    progress = build_progress(falling_articles())
    [size] = series(progress, "vocabulary_size")
    values = [p.value for p in size.points]  # type: ignore[attr-defined]
    assert values[0] == 50 + 22 and values == sorted(values)
    assert progress.vocabulary_size == values[-1] == 50 + progress.vocabulary_new
    shift = {s.level: s for s in progress.level_shift}
    assert shift[CefrLevel.B1].recent > shift[CefrLevel.B1].early


def test_weekly_buckets_average_sessions_in_the_same_week() -> None:
    records = [text_session(i, 40 + i, {"article": 2}, days_apart=2) for i in range(6)]
    weekly = series(build_progress(history(*records), Granularity.WEEK), "cefr_score")[0]
    mondays = [p.at.date().isoformat() for p in weekly.points]  # type: ignore[attr-defined]
    assert mondays == ["2026-01-05", "2026-01-12"]
    assert [p.label for p in weekly.points] == ["A2", "A2"]  # type: ignore[attr-defined]
    assert [p.value for p in weekly.points] == [41.5, 44.5]  # type: ignore[attr-defined]


def test_recommendations_put_the_most_persistent_weakness_first() -> None:
    records = [text_session(i, 50, {"article": 1 if i == 0 else 0, "preposition": 3}) for i in range(4)]
    weak = PhonemeStat("TH", 55.0, 40)
    progress = build_progress(history(*records, phonemes=(weak, PhonemeStat("R", 90.0, 30))))
    areas = [r.area for r in progress.recommendations]
    assert areas[0] == "error:preposition"
    assert "phoneme:TH" in areas and "phoneme:R" not in areas
    assert progress.recommendations[0].why.startswith("12 preposition errors in 4 of 4 sessions")


def test_pronunciation_trend_per_session() -> None:
    pron = [SessionRecord(f"p{i}", ResultKind.PRONUNCIATION, "gop-1", START + timedelta(days=i), 1, 20,
                          pronunciation=60 + 5 * i) for i in range(3)]
    progress = build_progress(history(*pron, phoneme_sessions=(("TH", "p0", START, 40.0),),
                                      phonemes=(PhonemeStat("TH", 40.0, 3),)))
    [overall] = series(progress, "pronunciation")
    assert [p.value for p in overall.points] == [60, 65, 70]  # type: ignore[attr-defined]
    assert series(progress, "phoneme:TH")
