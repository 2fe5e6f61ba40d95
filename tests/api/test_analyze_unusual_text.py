"""`analyzeText` on text that is not plain: control characters, decomposed accents, degenerate repetition.
Through the whole HTTP stack with the real offline engine."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from entrypoints.http.app import create_app
from tests.api.conftest import API_KEY, gql, make_settings

MUTATION = """
mutation Analyze($input: AnalyzeTextInput!) {
  analyzeText(input: $input) {
    __typename
    ... on TextAnalysis {
      errors { type start end startUtf16 endUtf16 originalText correctedText rule
               occurrenceCount occurrences { start end startUtf16 endUtf16 } }
      metrics { words errorsPer100Words }
      warnings
    }
    ... on UserError { code message field }
  }
}
"""


@pytest.fixture
def client(tmp_path: Path, clean_env: None, analysis_engine: Any) -> Iterator[TestClient]:
    settings = make_settings(tmp_path)
    with TestClient(create_app(settings, analysis_engine.container(settings)), headers={"x-api-key": API_KEY}) as c:
        yield c


def analyze(client: TestClient, text: str) -> dict[str, Any]:
    response = gql(client, MUTATION, {"input": {"text": text, "learner": {"userId": "learner-1"}}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["analyzeText"]  # type: ignore[no-any-return]


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


@pytest.mark.parametrize("control", ["\x00", "\x07", "\u200b", "\ufeff"])
def test_a_control_character_stays_out_of_the_correction(client: TestClient, control: str) -> None:
    text = f"Yesterday I go{control} to the cinema."
    (error,) = analyze(client, text)["errors"]
    assert (error["originalText"], error["correctedText"]) == ("go", "went")
    assert text[error["start"]:error["end"]] == "go"
    assert control not in error["correctedText"]


def test_offsets_point_into_the_text_as_sent_after_removed_characters(client: TestClient) -> None:
    text = "\x00\x01\u200bI love 😀 music.\x00 Yesterday I eat\x7f rice."
    (error,) = analyze(client, text)["errors"]
    assert text[error["start"]:error["end"]] == error["originalText"] == "eat"
    assert utf16_slice(text, error["startUtf16"], error["endUtf16"]) == "eat"


def test_decomposed_accents_stay_on_their_letters(client: TestClient) -> None:
    text = "I like the e\u0301te\u0301 very much. Yesterday I eat rice in the cafe\u0301."
    errors = analyze(client, text)["errors"]
    assert [(e["originalText"], e["correctedText"]) for e in errors] == [("eat", "ate")]
    assert "harper:The" not in {e["rule"] for e in errors}
    for error in errors:  # no span starts on a combining mark or ends before one
        assert not unicodedata.combining(text[error["start"]])
        assert error["end"] == len(text) or not unicodedata.combining(text[error["end"]])


def test_a_decomposed_word_is_quoted_as_sent(client: TestClient) -> None:
    text = "Yesterday I eat rice in a cafe\u0301 and she like it."
    errors = analyze(client, text)["errors"]
    assert {e["originalText"] for e in errors} >= {"eat"}
    for error in errors:
        assert text[error["start"]:error["end"]] == error["originalText"]


def test_the_same_error_again_and_again_is_one_finding_with_its_places(client: TestClient) -> None:
    text = "a " * 5000  # at the length limit
    analysis = analyze(client, text)
    (finding,) = analysis["errors"]
    assert finding["rule"] == "harper:RepeatedWords"
    assert finding["occurrenceCount"] == 2500
    places = finding["occurrences"]
    assert len(places) == 50
    assert places[0] == {k: finding[k] for k in ("start", "end", "startUtf16", "endUtf16")}
    assert all(text[p["start"]:p["end"]] == "a a" for p in places)
    assert [p["start"] for p in places] == sorted(p["start"] for p in places)


def test_a_repeated_mistake_in_many_sentences_is_grouped_and_counted_in_the_metrics(client: TestClient) -> None:
    text = "Yesterday I eat rice. " * 100 + "He go home."
    analysis = analyze(client, text)
    by_words = {(e["originalText"], e["correctedText"]): e for e in analysis["errors"]}
    assert by_words[("eat", "ate")]["occurrenceCount"] == 100
    assert [p["start"] for p in by_words[("eat", "ate")]["occurrences"]] == [22 * i + 12 for i in range(50)]
    assert by_words[("go", "goes")]["occurrenceCount"] == 1
    assert analysis["metrics"]["errorsPer100Words"] == pytest.approx(100 * 101 / analysis["metrics"]["words"], abs=0.01)
