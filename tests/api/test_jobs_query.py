from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from starlette.testclient import TestClient

from domain.jobs import Job, JobStatus
from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings

JOBS = "query($after: ID) { jobs(userId: \"learner-1\", first: 2, after: $after) { id status } }"


def add_jobs(client: TestClient, jobs: list[Job]) -> None:
    container = client.app.state.container  # type: ignore[attr-defined]

    async def add() -> None:
        async with container.uow()() as uow:
            for job in jobs:
                await uow.jobs.add(job)
            await uow.commit()

    client.portal.call(add)  # type: ignore[union-attr]


def job(number: int, user: str = "learner-1", status: JobStatus = JobStatus.QUEUED) -> Job:
    # recent: a finished job older than the retention period would be swept away by the maintenance loop
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1) + timedelta(minutes=number)
    return Job(id=f"job-{number}", kind="text_analysis", status=status, input={}, created_at=at,
               updated_at=at, user_id=user)


def test_a_learners_jobs_page_newest_first_with_a_cursor(client: TestClient) -> None:
    add_jobs(client, [job(1), job(2), job(3, status=JobStatus.SUCCEEDED), job(4, user="someone-else")])
    first = gql(client, JOBS).json()["data"]["jobs"]
    second = gql(client, JOBS, {"after": first[-1]["id"]}).json()["data"]["jobs"]
    assert [j["id"] for j in first] == ["job-3", "job-2"]
    assert [j["id"] for j in second] == ["job-1"]
    succeeded = gql(client, '{ jobs(userId: "learner-1", status: SUCCEEDED) { id } }').json()["data"]["jobs"]
    assert succeeded == [{"id": "job-3"}]


def test_a_page_size_out_of_range_is_invalid_input(client: TestClient) -> None:
    error = gql(client, '{ jobs(userId: "learner-1", first: 500) { id } }').json()["errors"][0]
    assert error["extensions"]["code"] == "INVALID_INPUT" and error["extensions"]["field"] == "first"
    assert "between 1 and 100" in error["message"]


def test_each_learner_has_a_rate_limit_with_retry_after(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path, security={"api_keys": [API_KEY], "rate_limit_per_user": "2/minute"})
    query = '{ jobs(userId: "busy-learner") { id } }'
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        answers = [gql(client, query).json() for _ in range(3)]
        other_learner = gql(client, '{ jobs(userId: "calm-learner") { id } }').json()
    assert answers[0] == answers[1] == {"data": {"jobs": []}}
    refused = answers[2]["errors"][0]["extensions"]
    assert refused["code"] == "RATE_LIMITED" and refused["typename"] == "RateLimited"
    assert refused["retryAfterSeconds"] >= 1 and refused["field"] == "userId"
    assert other_learner == {"data": {"jobs": []}}
