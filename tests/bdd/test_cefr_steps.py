from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from adapters.cefr.model import LocalCefrModel
from application.use_cases.assess_cefr import AssessCefr, AssessCefrCommand
from domain.cefr.assessment import CefrAssessment
from domain.cefr.scale import CefrLevel
from domain.errors import InvalidInput
from tests.fakes.cache import InMemoryCache

scenarios("cefr/cefr.feature")

T = TypeVar("T")

ADVANCED_ESSAY = (
    "It is often argued that the rapid expansion of online education will eventually render traditional "
    "universities obsolete. While there is undoubtedly some truth in this claim, I would contend that it "
    "overlooks several crucial aspects of what a university actually provides. Admittedly, online courses "
    "have democratised access to knowledge, enabling learners in remote areas to attend lectures delivered "
    "by renowned academics, and they are considerably cheaper. Nevertheless, the value of higher education "
    "lies not merely in the transmission of information but in the intellectual community it fosters. "
    "Students who debate ideas face to face, collaborate on research projects and receive immediate, "
    "nuanced feedback from their tutors develop critical thinking skills that are difficult to replicate "
    "on a screen. Furthermore, had the pandemic not forced institutions to experiment with remote teaching, "
    "we would probably still be underestimating how isolating it can be. In my view, therefore, the most "
    "likely outcome is a hybrid model, in which universities integrate digital tools without abandoning "
    "the interpersonal dimension that makes them distinctive."
)


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """The one sync-to-async bridge: pytest-bdd steps are synchronous."""
    return asyncio.run(coroutine)


@dataclass
class Context:
    text: str = ""
    result: CefrAssessment | None = None
    error: InvalidInput | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def model() -> LocalCefrModel:
    return LocalCefrModel()


@given(parsers.parse('a learner wrote "{text}"'), target_fixture="context")
def learner_wrote(text: str) -> Context:
    return Context(text=text)


@given("a learner wrote nothing", target_fixture="context")
def learner_wrote_nothing() -> Context:
    return Context(text="")


@given("a learner wrote an advanced essay", target_fixture="context")
def learner_wrote_essay() -> Context:
    return Context(text=ADVANCED_ESSAY)


@when("the text is assessed")
def assess(context: Context, model: LocalCefrModel) -> None:
    try:
        context.result = run(AssessCefr(model, InMemoryCache()).execute(AssessCefrCommand(context.text)))
    except InvalidInput as exc:
        context.error = exc


def _result(context: Context) -> CefrAssessment:
    assert context.result is not None, context.error
    return context.result


@then(parsers.parse("the level is {level:w}"))
def level_is(context: Context, level: str) -> None:
    assert _result(context).level is CefrLevel(level)


@then(parsers.parse("the level is {level:w} or above"))
def level_at_least(context: Context, level: str) -> None:
    assert _result(context).level.rank >= CefrLevel(level).rank


@then(parsers.parse("the score is at most {limit:d}"))
def score_at_most(context: Context, limit: int) -> None:
    assert _result(context).score <= limit


@then("the learner is told the estimate is rough because the text is short")
def told_rough(context: Context) -> None:
    result = _result(context)
    assert result.rough and any("rough" in w for w in result.warnings)


@then(parsers.parse("the learner is told what to learn to reach {level:w}"))
def told_next(context: Context, level: str) -> None:
    needs = _result(context).next_level_requirements
    assert needs and any(level in e.label or level in e.detail for e in needs)


@then("the strengths quote the learner's own words")
def strengths_quote(context: Context) -> None:
    strengths = _result(context).strengths
    examples = [ex for e in strengths for ex in e.examples]
    assert examples and all(ex.split()[0].lower() in context.text.lower() for ex in examples)


@then("the request is refused because the text is empty")
def refused(context: Context) -> None:
    assert context.error is not None and context.error.field == "text"
