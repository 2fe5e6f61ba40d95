"""Alembic against real SQLite and PostgreSQL: every revision goes up, down and up again, and the tables the
revisions create are the tables the adapter uses."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.persistence import tables
from adapters.persistence.migrate import alembic_config, current_revision, downgrade, upgrade

pytestmark = pytest.mark.integration
HEAD = "0004"

OUR_TABLES = {
    "jobs", "analysis_results", "progress_results", "error_occurrences", "error_counts", "vocabulary", "phoneme_scores",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    """(url, schema the tables land in: None on SQLite)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url"), None
    url, schema = request.getfixturevalue("postgres_schema")
    return url, schema


async def _inspect(url: str, look: Any) -> Any:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda sync: look(inspect(sync)))
    finally:
        await engine.dispose()


async def _our_tables(url: str, schema: str | None) -> set[str]:
    names = await _inspect(url, lambda inspector: inspector.get_table_names(schema=schema))
    return set(names) & OUR_TABLES


def _migrate_args(url: str, schema: str | None) -> tuple[str, str]:
    # SQLite ignores the schema; pass the default one so the call looks like production's
    return url, schema or tables.SCHEMA_PLACEHOLDER


async def test_upgrade_downgrade_upgrade(target: tuple[str, str | None]) -> None:
    url, schema = target
    args = _migrate_args(url, schema)
    assert await asyncio.to_thread(current_revision, *args) is None

    await asyncio.to_thread(upgrade, *args)
    assert await _our_tables(url, schema) == OUR_TABLES
    assert await asyncio.to_thread(current_revision, *args) == HEAD

    await asyncio.to_thread(downgrade, *args)
    assert await _our_tables(url, schema) == set()
    assert await asyncio.to_thread(current_revision, *args) is None

    await asyncio.to_thread(upgrade, *args)
    assert await _our_tables(url, schema) == OUR_TABLES
    assert await asyncio.to_thread(current_revision, *args) == HEAD


async def test_every_revision_goes_down_and_up_again(target: tuple[str, str | None]) -> None:
    url, schema = target
    args = _migrate_args(url, schema)
    script = ScriptDirectory.from_config(alembic_config(*args))
    revisions = list(reversed(list(script.walk_revisions())))
    assert revisions, "no revisions found"
    for revision in revisions:
        await asyncio.to_thread(upgrade, *args, revision.revision)
        below = revision.down_revision
        assert below is None or isinstance(below, str), "merge revisions need their own stairway step"
        await asyncio.to_thread(downgrade, *args, below or "base")
        await asyncio.to_thread(upgrade, *args, revision.revision)
        assert await asyncio.to_thread(current_revision, *args) == revision.revision


async def test_postgres_tables_stay_in_their_schema(postgres_schema: tuple[str, str]) -> None:
    url, schema = postgres_schema
    await asyncio.to_thread(upgrade, url, schema)
    assert await _our_tables(url, schema) == OUR_TABLES
    assert "alembic_version" in await _inspect(url, lambda i: i.get_table_names(schema=schema))
    assert await _our_tables(url, "public") == set()


async def test_migrated_tables_have_the_columns_of_the_metadata(target: tuple[str, str | None]) -> None:
    url, schema = target
    await asyncio.to_thread(upgrade, *_migrate_args(url, schema))

    def columns(inspector: Any) -> dict[str, list[str]]:
        return {name: [c["name"] for c in inspector.get_columns(name, schema=schema)] for name in OUR_TABLES}

    metadata = tables.metadata.tables
    expected = {name: [c.name for c in metadata[f"englivo.{name}"].columns] for name in OUR_TABLES}
    assert await _inspect(url, columns) == expected


async def test_migrations_and_metadata_do_not_drift(target: tuple[str, str | None]) -> None:
    """Alembic's autogenerate finds nothing to add, drop or alter: no missing revision, no stale model."""
    url, schema = target
    await asyncio.to_thread(upgrade, *_migrate_args(url, schema))

    def diff(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={
            "include_schemas": schema is not None,
            "include_name": lambda name, type_, parents: type_ != "schema" or name == schema,
            "version_table_schema": schema,
            "compare_type": True,
        })
        return list(compare_metadata(context, tables.metadata_in(schema)))

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(diff) == []
    finally:
        await engine.dispose()


async def test_migrations_refuse_to_run_inside_an_event_loop(sqlite_url: str) -> None:
    with pytest.raises(RuntimeError, match=r"asyncio\.to_thread"):
        upgrade(sqlite_url)
