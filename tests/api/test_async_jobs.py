"""`transcribeAsync` through the HTTP GraphQL API with the real local engine: the job is accepted at once,
runs in the in-process queue, its typed result is readable, the same idempotency key never starts a second
job, a websocket watches it run, and a restart finishes a job that was still queued."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from dependency_injector import providers
from starlette.testclient import TestClient

from adapters.inference.scheduler import InferenceScheduler
from application.job_handlers.transcription import transcription_payload
from application.use_cases.job_submission import SubmitJobCommand
from application.use_cases.transcribe import TranscribeCommand
from entrypoints.container import build_container, close_container
from entrypoints.http.app import create_app
from entrypoints.transcription_wiring import TranscriptionComponents, fetch_policy
from tests.api.conftest import API_KEY, finished_job, make_settings
from tests.support.transcription import DATA, TranscribeFactory

SUBMIT = """
mutation Submit($input: TranscribeInput!, $key: String) {
  transcribeAsync(input: $input, idempotencyKey: $key) {
    __typename
    ... on Job { id status kind }
    ... on UserError { code message field }
  }
}
"""
JOB = """
query Job($id: ID!) { job(id: $id) { status progress attempts error { code message }
  result { __typename ... on Transcription { text words { text start end } } } } }
"""
SHORT = DATA / "024020047.flac"
LONG = DATA / "mono_two_speakers.flac"


def engine_container(tmp_path: Path, factory: TranscribeFactory) -> Any:
    settings = make_settings(tmp_path)
    container = build_container(settings)
    transcribe = factory(policy=fetch_policy(settings))
    components = TranscriptionComponents(transcribe, transcribe._recognizer, InferenceScheduler(1, 60))  # type: ignore[attr-defined]
    container.transcription.override(providers.Object(components))
    return settings, container


def submit(client: TestClient, audio: Path, key: str | None = None, **extra: Any) -> dict[str, Any]:
    variables = {"input": {"audio": {"file": None}, "learner": {"userId": "learner-1", "sessionId": "s-9"}, **extra},
                 "key": key}
    response = client.post(
        "/graphql",
        data={"operations": json.dumps({"query": SUBMIT, "variables": variables}),
              "map": json.dumps({"0": ["variables.input.audio.file"]})},
        files={"0": (audio.name, audio.read_bytes(), "application/octet-stream")},
    )
    return dict(response.json()["data"]["transcribeAsync"])



def test_a_recording_is_accepted_at_once_and_its_timed_words_arrive_later(
    tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory
) -> None:
    settings, container = engine_container(tmp_path, make_transcribe)
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as client:
        accepted = submit(client, SHORT)
        job = finished_job(client, JOB, accepted["id"])
    assert accepted["__typename"] == "Job" and accepted["kind"] == "transcription"
    assert accepted["status"] in ("QUEUED", "RUNNING")
    assert job["status"] == "SUCCEEDED" and job["attempts"] == 1 and job["progress"] == 1.0
    result = job["result"]
    assert result["__typename"] == "Transcription" and result["words"]
    assert all(w["end"] >= w["start"] >= 0 for w in result["words"])


def test_the_same_key_returns_the_first_job_and_other_audio_conflicts(
    tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory
) -> None:
    settings, container = engine_container(tmp_path, make_transcribe)
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as client:
        first = submit(client, SHORT, key="upload-42")
        again = submit(client, SHORT, key="upload-42")
        other = submit(client, DATA / "000360013.flac", key="upload-42")
        finished_job(client, JOB, first["id"])
        listed = client.post("/graphql", json={"query": '{ jobs(userId: "learner-1") { id } }'}).json()
    assert again["id"] == first["id"]
    assert other["__typename"] == "Conflict" and other["field"] == "idempotencyKey"
    assert listed["data"]["jobs"] == [{"id": first["id"]}], "no second job was started"


def test_bad_input_is_refused_before_a_job_exists(
    tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory
) -> None:
    settings, container = engine_container(tmp_path, make_transcribe)
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as client:
        refused = submit(client, SHORT, maxSpeakers=50, diarize=True)
        no_url = client.post("/graphql", json={"query": SUBMIT, "variables": {
            "input": {"audio": {}, "learner": {"userId": "learner-1"}}}}).json()["data"]["transcribeAsync"]
    assert no_url["__typename"] == "InvalidInput" and no_url["field"] == "audio"
    assert refused["__typename"] == "InvalidInput" and refused["field"] == "maxSpeakers"


def test_a_websocket_sees_a_real_job_run_then_succeed(
    tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory
) -> None:
    settings, container = engine_container(tmp_path, make_transcribe)
    with TestClient(create_app(settings, container), headers={"x-api-key": API_KEY}) as client:
        job_id = submit(client, LONG, diarize=True)["id"]
        query = f'subscription {{ jobUpdates(id: "{job_id}") {{ status progress }} }}'
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {"apiKey": API_KEY}})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
            statuses = []
            while not statuses or statuses[-1] not in ("SUCCEEDED", "FAILED"):
                statuses.append(ws.receive_json()["payload"]["data"]["jobUpdates"]["status"])
    assert "RUNNING" in statuses and statuses[-1] == "SUCCEEDED", statuses


def test_a_restart_finishes_a_job_that_was_still_queued(
    tmp_path: Path, clean_env: None, make_transcribe: TranscribeFactory
) -> None:
    settings, before = engine_container(tmp_path, make_transcribe)

    async def submit_while_stopping() -> str:
        from adapters.persistence.migrate import upgrade

        await asyncio.to_thread(upgrade, settings.database.url, settings.database.db_schema)
        await before.job_queue().close()  # the service stops before its queue runs the job
        command = TranscribeCommand(audio=SHORT.read_bytes(), user_id="learner-1")
        payload = await transcription_payload(command, before.blobs())
        job = await before.submit_job().execute(SubmitJobCommand("transcription", payload, user_id="learner-1"))
        await close_container(before)
        return job.id

    job_id = asyncio.run(submit_while_stopping())
    _, after = engine_container(tmp_path, make_transcribe)
    with TestClient(create_app(settings, after), headers={"x-api-key": API_KEY}) as client:
        job = finished_job(client, JOB, job_id)
    assert job["status"] == "SUCCEEDED" and job["result"]["words"]
