"""Real pronunciation assessments and transcriptions feed a learner's progress: scores, weakest phonemes,
speech rate."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings
from tests.api.pronunciation_client import assess, engine_client
from tests.conftest import clip
from tests.support.transcription import DATA

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


TRANSCRIBE = """mutation($input: TranscribeInput!) { transcribe(input: $input) {
  __typename ... on Transcription { metrics { wordsPerMinute pauseCount } } } }"""
SESSIONS = """query { sessions(userId: "learner-4", first: 5) { edges { node { sessionId kinds wordsPerMinute } } } }"""


def test_a_transcription_through_the_engine_shows_in_progress(tmp_path: Path, clean_env: None) -> None:
    """The container's own transcription capability stores a learner's transcript and its speech metrics."""
    settings = make_settings(tmp_path)
    operations = {"query": TRANSCRIBE, "variables": {"input": {
        "audio": {"file": None}, "learner": {"userId": "learner-4", "sessionId": "call-9"}}}}
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        response = client.post("/graphql", data={
            "operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.audio.file"]}),
        }, files={"0": ("answer.flac", (DATA / "024020047.flac").read_bytes(), "audio/flac")})
        transcription = response.json()["data"]["transcribe"]
        sessions = gql(client, SESSIONS).json()["data"]["sessions"]["edges"]

    assert transcription["__typename"] == "Transcription", transcription
    assert [e["node"] for e in sessions] == [{"sessionId": "call-9", "kinds": ["TRANSCRIPTION"],
                                             "wordsPerMinute": transcription["metrics"]["wordsPerMinute"]}]
