from __future__ import annotations

import pytest

from application.use_cases.assess_cefr import MAX_TEXT_CHARS, AssessCefr, AssessCefrCommand, decode, encode
from domain.cefr.assessment import TextKind
from domain.errors import InvalidInput
from tests.fakes.cache import InMemoryCache
from tests.fakes.cefr import FakeCefrModel


@pytest.mark.parametrize("text", ["", "   \n", "123 456 !!!"])
async def test_text_without_words_is_invalid_input_on_the_text_field(text: str) -> None:
    model = FakeCefrModel()
    with pytest.raises(InvalidInput) as raised:
        await AssessCefr(model, InMemoryCache()).execute(AssessCefrCommand(text))
    assert raised.value.field == "text"
    assert model.calls == []


async def test_text_over_the_limit_is_refused_and_says_the_limit() -> None:
    with pytest.raises(InvalidInput, match=str(MAX_TEXT_CHARS)) as raised:
        await AssessCefr(FakeCefrModel(), InMemoryCache()).execute(AssessCefrCommand("a" * (MAX_TEXT_CHARS + 1)))
    assert raised.value.field == "text" and raised.value.code == "too_long"


async def test_the_second_identical_request_is_served_from_the_cache() -> None:
    model, cache = FakeCefrModel(), InMemoryCache()
    use_case = AssessCefr(model, cache)
    first = await use_case.execute(AssessCefrCommand("  Hello world  ", TextKind.SPOKEN))
    second = await use_case.execute(AssessCefrCommand("Hello world", TextKind.SPOKEN))
    assert first == second
    assert model.calls == [("Hello world", TextKind.SPOKEN)]
    (key,) = cache.entries
    assert key.startswith("cefr:fake-1:")


async def test_kind_and_model_version_are_part_of_the_cache_key() -> None:
    cache = InMemoryCache()
    await AssessCefr(FakeCefrModel("v1"), cache).execute(AssessCefrCommand("Hello", TextKind.WRITTEN))
    await AssessCefr(FakeCefrModel("v1"), cache).execute(AssessCefrCommand("Hello", TextKind.SPOKEN))
    await AssessCefr(FakeCefrModel("v2"), cache).execute(AssessCefrCommand("Hello", TextKind.WRITTEN))
    assert len(cache.entries) == 3


async def test_an_assessment_survives_the_cache_codec() -> None:
    assessment = await FakeCefrModel().assess("Hello there", TextKind.WRITTEN)
    assert decode(encode(assessment)) == assessment
