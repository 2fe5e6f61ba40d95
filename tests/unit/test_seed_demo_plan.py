"""The demo history's plan: real essays whose level climbs and real readings whose human score rises,
spread over the chosen months. Reads the samples committed in tests/data/corpora, which are also what
`englivo seed-demo` uses without --data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest

from entrypoints.cli.seed_demo import LADDER, SAMPLE_DATA, plan_sessions, seed_demo
from tests.conftest import CORPORA

END = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def data() -> Path:
    return CORPORA


def _levels(data: Path) -> dict[str, str]:
    folder = data / "cefr" / "write_and_improve"
    return {e["text"]: e["cefr"] for name in ("A.train.json", "B.train.json")
            for e in map(json.loads, (folder / name).read_text().splitlines())}


def _scores(data: Path) -> dict[str, float]:
    rows = map(json.loads, (data / "speechocean762" / "train" / "labels.jsonl").read_text().splitlines())
    return {Path(r["audio"]).name: r["total"] for r in rows}


def test_sessions_spread_over_the_months_before_the_end(data: Path) -> None:
    plan = plan_sessions(data, 30, END, 120, 2)
    times = [s.at for s in plan]
    assert len(plan) == 30 and times == sorted(times) and len(set(times)) == 30
    assert END - timedelta(days=120) <= times[0] < END - timedelta(days=100)
    assert END - timedelta(days=10) < times[-1] <= END
    assert len({s.session_id for s in plan}) == 30


def test_essays_climb_the_ladder_and_readings_improve(data: Path) -> None:
    plan = plan_sessions(data, 12, END, 90, 2)
    levels = _levels(data)
    ranks = [LADDER.index(levels[s.essay]) for s in plan]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == len(LADDER) - 1
    assert len({s.essay for s in plan}) == 12
    scores = _scores(data)
    readings = [r for s in plan for r in s.readings]
    assert len(readings) == 24 and all(r.audio.is_file() and r.text for r in readings)
    human = [scores[r.audio.name] for r in readings]
    assert human == sorted(human) and human[0] < human[-1]


def test_many_sessions_in_few_days_still_follow_one_another(data: Path) -> None:
    times = [s.at for s in plan_sessions(data, 12, END, 2, 0)]
    assert times == sorted(times) and len(set(times)) == 12 and times[-1] <= END


def test_a_plan_needs_a_session_and_the_data(data: Path, tmp_path: Path) -> None:
    with pytest.raises(click.BadParameter):
        plan_sessions(data, 0, END, 30, 1)
    with pytest.raises(click.ClickException, match="pass --data"):
        plan_sessions(tmp_path, 3, END, 30, 1)


def test_without_data_the_command_plans_from_the_committed_samples() -> None:
    (option,) = [p for p in seed_demo.params if p.name == "data"]
    assert option.default is None and SAMPLE_DATA.resolve() == CORPORA.resolve()
    defaults = {p.name: p.default for p in seed_demo.params}
    plan = plan_sessions(SAMPLE_DATA, defaults["sessions"], END, defaults["days"], defaults["readings"])
    assert len(plan) == 30 and all(r.audio.is_file() for s in plan for r in s.readings)
    levels = _levels(SAMPLE_DATA)
    assert {levels[s.essay] for s in plan} == set(LADDER)
