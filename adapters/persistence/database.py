"""The async engine and session factory for one database URL. Building one opens no connection.

On SQLite: WAL (readers never wait for the writer), a busy timeout for writers of other processes, and
one writer at a time within the process (adapters.persistence.write_gate)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import event, make_url, text
from sqlalchemy.engine import URL, Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from adapters.persistence.tables import SCHEMA_PLACEHOLDER
from adapters.persistence.write_gate import GATE_INFO_KEY, GatedSession, WriteGate

DialectName = Literal["sqlite", "postgresql"]
# How long a SQLite writer waits for its turn: in this process (the gate), then for the file lock that a
# writer of another process may hold (busy timeout). Write transactions last milliseconds; the wait is
# long only when many writers queue under load, and it must outlast the queue rather than fail a request.
SQLITE_WRITE_WAIT_SECONDS = 60.0


class Database:
    def __init__(
        self, url: str, schema: str = SCHEMA_PLACEHOLDER, *, echo: bool = False, pool_size: int = 5,
        sqlite_write_wait_s: float = SQLITE_WRITE_WAIT_SECONDS,
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
        self.write_gate: WriteGate | None = None
        if backend == "sqlite":
            _prepare_sqlite(self._engine, parsed, sqlite_write_wait_s)
            self.write_gate = WriteGate(sqlite_write_wait_s)
        self.engine: AsyncEngine = self._engine.execution_options(
            schema_translate_map={SCHEMA_PLACEHOLDER: self.schema}
        )
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, class_=GatedSession, expire_on_commit=False,
            info={GATE_INFO_KEY: self.write_gate} if self.write_gate is not None else None,
        )

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Around a write transaction on `engine` outside a session: waits for the writer's turn on SQLite."""
        if self.write_gate is None:
            yield
        else:
            async with self.write_gate.turn():
                yield

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self._engine.dispose()


def _prepare_sqlite(engine: AsyncEngine, url: URL, busy_timeout_s: float) -> None:
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
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cursor.close()


def _sqlite_folder(url: URL) -> Path | None:
    name = url.database
    if not name or name == ":memory:" or name.startswith("file:") or url.query.get("mode") == "memory":
        return None
    return Path(name).expanduser().parent
