from __future__ import annotations

from typing import Any

from httpx import Response
from pytest_bdd import parsers, scenarios, then, when
from starlette.testclient import TestClient

from tests.api.conftest import API_KEY

scenarios("service/health.feature")


@when("a monitor asks whether the engine is alive", target_fixture="response")
def ask_alive(running_engine: TestClient) -> Response:
    return running_engine.get("/health")


@when("a monitor asks whether the engine is ready", target_fixture="response")
def ask_ready(running_engine: TestClient) -> Response:
    return running_engine.get("/health/ready")


@when("the orchestrator calls the engine without an API key", target_fixture="response")
def call_without_key(running_engine: TestClient) -> Response:
    return running_engine.post("/graphql", json={"query": "{ health }"})


@when("the orchestrator asks for the engine's health with its API key", target_fixture="response")
def call_with_key(running_engine: TestClient) -> Response:
    return running_engine.post("/graphql", json={"query": "{ health }"}, headers={"x-api-key": API_KEY})


@then("the engine answers that it is ok")
def answers_ok(response: Response) -> None:
    assert response.status_code == 200 and response.json()["status"] == "ok"


@then("the engine answers that it is ready")
def answers_ready(response: Response) -> None:
    assert response.status_code == 200 and response.json()["status"] == "ready"


@then("the answer lists the database and the disk cache as up")
def lists_components(response: Response) -> None:
    states: dict[str, Any] = {c["name"]: c["status"] for c in response.json()["components"]}
    assert states["database"] == "up" and states["cache.disk"] == "up"


@then("the call is refused as unauthenticated")
def refused(response: Response) -> None:
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@then("the refusal names the X-API-Key header")
def names_header(response: Response) -> None:
    assert response.json()["errors"][0]["extensions"]["field"] == "X-API-Key"


@then(parsers.parse('the engine answers "{answer}"'))
def answers(response: Response, answer: str) -> None:
    assert response.json() == {"data": {"health": answer}}
