"""The async engine and session factory for one database URL. Building one opens no connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import event, make_url, text
from sqlalchemy.engine import URL, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from adapters.persistence.tables import SCHEMA_PLACEHOLDER

DialectName = Literal["sqlite", "postgresql"]


class Database:
    def __init__(
        self, url: str, schema: str = SCHEMA_PLACEHOLDER, *, echo: bool = False, pool_size: int = 5
    ) -> None:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database {backend!r}: use sqlite+aiosqlite or postgresql+asyncpg")
        self.dialect: DialectName = cast(DialectName, backend)
        self.schema: str | None = schema if backend == "postgresql" else None
        options: dict[str, Any] = {"echo": echo}
        if backend == "postgresql":
            options.update(pool_size=pool_size, pool_pre_ping=True)
        self._engine = create_async_engine(parsed, **options)
        if backend == "sqlite":
            _prepare_sqlite(self._engine, parsed)
        self.engine: AsyncEngine = self._engine.execution_options(
            schema_translate_map={SCHEMA_PLACEHOLDER: self.schema}
        )
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self._engine.dispose()


def _prepare_sqlite(engine: AsyncEngine, url: URL) -> None:
    folder = _sqlite_folder(url)

    @event.listens_for(engine.sync_engine, "do_connect")
    def _make_folder(dialect: Dialect, record: ConnectionPoolEntry, cargs: Any, cparams: Any) -> None:
        # on the first connection, not at construction: building a Database touches no disk
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _sqlite_folder(url: URL) -> Path | None:
    name = url.database
    if not name or name == ":memory:" or name.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return Path(name).expanduser().parent
