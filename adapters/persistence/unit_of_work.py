from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.persistence.database import Database
from adapters.persistence.repositories import SqlJobRepository, SqlResultRepository
from application.ports.persistence import JobRepository, ResultRepository


class SqlAlchemyUnitOfWork:
    """One session per `async with`; whatever was not committed is rolled back when the block ends."""

    results: ResultRepository
    jobs: JobRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open")
        self._session = self._sessions()
        self.results = SqlResultRepository(self._session)
        self.jobs = SqlJobRepository(self._session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:
            await session.rollback()
        finally:
            await session.close()

    async def commit(self) -> None:
        await self._open().commit()

    async def rollback(self) -> None:
        await self._open().rollback()

    def _open(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._session


def unit_of_work_factory(database: Database) -> Callable[[], SqlAlchemyUnitOfWork]:
    def build() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(database.sessions)

    return build
