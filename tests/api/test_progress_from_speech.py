"""Real pronunciation assessments feed a learner's progress: scores, weakest phonemes and speech rate."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import API_KEY, gql, make_settings
from tests.api.pronunciation_client import assess, engine_client
from tests.conftest import clip

PROGRESS = """query($user: ID!) { progress(userId: $user) { sessions
  series { name scale points { value } } weakestPhonemes { phoneme accuracy count } } }"""


def test_assessments_of_a_learner_show_in_progress(tmp_path: Path, clean_env: None, pronunciation_assessor) -> None:
    settings = make_settings(tmp_path)
    data, text = clip("001350219")
    with engine_client(settings, pronunciation_assessor, API_KEY) as client:
        first = assess(client, data, text, user="learner-3", session="s1")
        assess(client, data, text, user="learner-3", session="s2")
        progress = gql(client, PROGRESS, {"user": "learner-3"}).json()["data"]["progress"]

    assert progress["sessions"] == 2
    series = {s["name"]: s for s in progress["series"]}
    assert [p["value"] for p in series["pronunciation"]["points"]] == [first["pronunciation"]] * 2
    assert series["pronunciation"]["scale"].endswith("/pronunciation-1")
    assert series["words_per_minute"]["points"][0]["value"] > 0 and "filler_rate" not in series
    weakest = progress["weakestPhonemes"]
    assert weakest and weakest == sorted(weakest, key=lambda p: p["accuracy"])
    assert all(p["count"] % 2 == 0 for p in weakest)  # the same recording twice: each sound counted twice
