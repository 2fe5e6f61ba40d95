"""A batch of texts shares one parser pass and gives each text what a single analysis gives it."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from adapters.analysis.checker import ParsedTexts
from adapters.persistence.migrate import upgrade
from application.use_cases.analyze_text import AnalyzeTextCommand
from domain.analysis.analysis import TextAnalysis, TextKind
from domain.errors import UserError
from entrypoints.container import build_container, close_container
from entrypoints.settings import Settings
from tests.api.conftest import make_settings
from tests.conftest import CORPORA
from tests.integration.test_analysis_engine import EXAMPLES

pytestmark = pytest.mark.integration
WRITE_AND_IMPROVE = CORPORA / "cefr" / "write_and_improve" / "A.train.json"


def texts(count: int) -> list[str]:
    """The product's example sentences, then learner essays (more than the parse cache holds)."""
    sentences = [sentence for sentence, *_ in EXAMPLES]
    with WRITE_AND_IMPROVE.open() as lines:
        essays = [json.loads(line)["text"][:1200] for line in islice(lines, 4)]
    return (essays + sentences)[:count]


def comparable(analysis: TextAnalysis) -> dict[str, Any]:
    data = analysis.to_dict()
    data.pop("processing_time")
    return data


@pytest.fixture
def settings(tmp_path: Path, clean_env: None) -> Settings:
    settings = make_settings(tmp_path, cache={"enabled": False})
    upgrade(settings.database.url, settings.database.db_schema)
    return settings


async def test_a_batch_gives_each_text_what_a_single_analysis_gives(analysis_engine: Any, settings: Settings) -> None:
    analyze = analysis_engine.container(settings).analyze_text()
    commands = [AnalyzeTextCommand(text, user_id="learner-7", session_id="s1") for text in texts(14)]
    singles = [comparable(await analyze.execute(command)) for command in commands]

    done: list[int] = []

    async def on_done(index: int, outcome: TextAnalysis | UserError) -> None:
        done.append(index)

    empty = AnalyzeTextCommand("   ", user_id="learner-7")
    outcomes = await analyze.execute_many([commands[0], empty, *commands[1:]], on_done)

    assert sorted(done) == list(range(len(commands) + 1))
    failed = outcomes[1]
    assert isinstance(failed, UserError) and (failed.code, failed.field) == ("empty_text", "text")
    analyses = [outcomes[0], *outcomes[2:]]
    assert all(isinstance(a, TextAnalysis) for a in analyses)
    assert [comparable(a) for a in analyses] == singles  # type: ignore[arg-type]
    assert any(a["errors"] for a in singles)


def test_a_batch_s_parses_outlive_the_cache_until_the_batch_is_done(analysis_engine: Any) -> None:
    parsed = ParsedTexts(analysis_engine.models, size=8)
    batch = texts(12)
    docs = parsed.parse_many(batch)
    parsed.pin(docs)
    for text in batch:
        parsed.parse(f"{text} (another text)")  # would evict a cached parse; pinned ones stay
    assert all(parsed.parse(text) is docs[text] for text in batch)
    assert [t.text for t in docs[batch[0]]] == [t.text for t in analysis_engine.models.get().nlp(batch[0])]
    parsed.unpin(batch)
    for text in batch[:4]:
        parsed.parse(f"{text} (a third text)")
    assert parsed.parse(batch[0]) is not docs[batch[0]]  # unpinned, it is an ordinary cache entry again


async def test_a_batch_larger_than_one_parser_chunk_keeps_every_text_s_parse(analysis_engine: Any) -> None:
    from adapters.analysis.checker import PARSE_CHUNK, CheckerOptions, LocalGrammarChecker
    from adapters.inference.scheduler import InferenceScheduler

    scheduler = InferenceScheduler(1, 120)
    parsed = ParsedTexts(analysis_engine.models, size=4)
    checker = LocalGrammarChecker(analysis_engine.models, parsed, scheduler, CheckerOptions(harper=False))
    batch = [f"I am student number {n} and I like apple." for n in range(PARSE_CHUNK + 8)]
    try:
        async with checker.batch(batch + batch[:3]):  # repeated texts are parsed once
            assert all(parsed.known(text) is not None for text in batch)
        assert sum(parsed.known(text) is not None for text in batch) == 4  # unpinned: back to the small cache
    finally:
        scheduler.close()


@pytest.fixture
def pool_settings(tmp_path: Path, clean_env: None) -> Settings:
    settings = make_settings(tmp_path, cache={"enabled": False}, inference={"batch_processes": 1})
    upgrade(settings.database.url, settings.database.db_schema)
    return settings


async def test_worker_processes_give_each_text_what_a_single_analysis_gives(pool_settings: Settings) -> None:
    """With ENGLIVO_INFERENCE__BATCH_PROCESSES the texts of a batch are analysed in processes that build the
    engine from the same settings (spawned: their own models); what comes back is what a single call of an
    engine built from those settings gives, spoken texts and explanations in the learner's language included.
    Short texts: Harper's deadline (0.5 s by default) is then far off in both."""
    container = build_container(pool_settings)
    analyze = container.analyze_text()
    commands = [AnalyzeTextCommand(text[:400], user_id="learner-7") for text in texts(6)]
    commands += [AnalyzeTextCommand("yesterday i go to the shop and we buyed many thing", user_id="learner-7",
                                    kind=TextKind.SPOKEN),
                 AnalyzeTextCommand("She have two childs.", user_id="learner-7", native_language="es")]
    workers = container.analysis_workers()
    assert workers is not None and workers.workers == 1
    try:
        singles = [comparable(await analyze.execute(command)) for command in commands]
        outcomes = await analyze.execute_many(commands)
    finally:
        await close_container(container)
    assert [comparable(a) for a in outcomes if isinstance(a, TextAnalysis)] == singles
    assert any(a["errors"] for a in singles)
