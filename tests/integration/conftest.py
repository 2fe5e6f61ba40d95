from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from adapters.persistence.database import Database
from adapters.persistence.migrate import upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest) -> tuple[str, str]:
    """(url, schema) of a migrated-to-be database: each test runs once on SQLite and once on PostgreSQL."""
    # a sync fixture: an async one cannot request the async postgres_schema by name
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url"), "englivo"
    url, schema = request.getfixturevalue("postgres_schema")
    return url, schema


@pytest.fixture
async def database(target: tuple[str, str]) -> AsyncIterator[Database]:
    url, schema = target
    await asyncio.to_thread(upgrade, url, schema)
    database = Database(url, schema)
    yield database
    await database.dispose()
