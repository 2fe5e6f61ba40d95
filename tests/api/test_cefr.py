"""The `cefr` query through the real app, the real container and the shipped model."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings

CEFR = """query($text: String!, $kind: TextKind) {
  cefr(text: $text, kind: $kind) {
    __typename level score confidence range rough warnings modelVersion wordCount kind
    probabilities { level probability }
    strengths { label detail examples }
    weaknesses { label detail examples }
    nextLevelRequirements { label detail examples }
    engine { capability engine version }
  }
}"""


def test_the_products_beginner_example_is_a1_through_the_api(client: TestClient) -> None:
    body = gql(client, CEFR, {"text": "I am student. I like apple."}).json()
    result = body["data"]["cefr"]
    assert result["__typename"] == "CefrAssessment"
    assert result["level"] == "A1" and result["score"] <= 30
    assert result["rough"] and result["kind"] == "WRITTEN"
    assert result["nextLevelRequirements"]
    assert result["engine"]["capability"] == "cefr" and result["engine"]["version"] == result["modelVersion"]
    again = gql(client, CEFR, {"text": "I am student. I like apple."}).json()["data"]["cefr"]
    assert again == result


def test_spoken_text_is_accepted(client: TestClient) -> None:
    text = "um i think that (%hesitation%) the the best way to learn english is to speak every day"
    result = gql(client, CEFR, {"text": text, "kind": "SPOKEN"}).json()["data"]["cefr"]
    assert result["kind"] == "SPOKEN" and result["level"] in {"A1", "A2", "B1", "B2", "C1", "C2"}


def test_empty_text_is_invalid_input_naming_the_field(client: TestClient) -> None:
    error = gql(client, CEFR, {"text": "   "}).json()["errors"][0]
    assert error["extensions"]["code"] == "INVALID_INPUT" and error["extensions"]["field"] == "text"


def test_too_long_text_is_refused(client: TestClient) -> None:
    error = gql(client, CEFR, {"text": "word " * 5_000}).json()["errors"][0]
    assert error["extensions"]["field"] == "text" and "20000 characters" in error["message"]


def test_switched_off_cefr_is_provider_unavailable(tmp_path: Path, clean_env: None) -> None:
    settings = make_settings(tmp_path, features={"cefr": False})
    with TestClient(create_app(settings), headers={"x-api-key": API_KEY}) as client:
        error = gql(client, CEFR, {"text": "Hello there."}).json()["errors"][0]
    assert error["extensions"]["typename"] == "ProviderUnavailable"
