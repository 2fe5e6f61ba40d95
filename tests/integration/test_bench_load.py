"""`englivo bench load` at a tiny size: a real server process on 127.0.0.1 with its own SQLite file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from entrypoints.cli.bench_load import load_texts
from entrypoints.cli.main import cli

pytestmark = pytest.mark.integration


def test_bench_load_reports_each_level_with_the_results_it_stored(clean_env: None) -> None:
    result = CliRunner().invoke(cli, ["bench", "load", "--concurrency", "2", "--requests", "6"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["database"] == "sqlite" and report["server"].startswith("http://127.0.0.1:")
    (level,) = report["levels"]
    assert (level["concurrency"], level["requests"], level["ok"], level["errors"]) == (2, 6, 6, 0), level
    assert (level["stored"], level["lost"]) == (6, 0)
    assert level["throughput_per_s"] > 0 and level["p50_ms"] <= level["p95_ms"]
    assert level["health"]["ok"] >= 1 and level["health"]["errors"] == 0


def test_load_texts_are_distinct_and_about_the_asked_length() -> None:
    texts = load_texts(200, words=100, seed=1)

    assert len(set(texts)) == 200
    assert all(100 <= len(text.split()) <= 120 for text in texts)
    assert load_texts(5, seed=1) == texts[:5]  # the same run sends the same texts


@pytest.mark.parametrize(("option", "url"), [
    ("--database-url", "postgresql+asyncpg://postgres@10.1.2.3:5432/englivo"),
    ("--url", "http://example.org:8001"),
])
def test_bench_load_refuses_to_send_load_beyond_loopback(option: str, url: str) -> None:
    result = CliRunner().invoke(cli, ["bench", "load", option, url])

    assert result.exit_code == 2
    assert "must point at 127.0.0.1" in result.output
