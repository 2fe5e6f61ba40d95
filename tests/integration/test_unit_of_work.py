"""The SQLAlchemy unit of work and repositories against migrated SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from adapters.persistence.database import Database
from adapters.persistence.health import DatabaseProbe
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork, unit_of_work_factory
from application.use_cases.readiness import CheckReadiness, CheckReadinessCommand
from domain.health import ComponentState
from domain.jobs import Job, JobError, JobStatus
from domain.results import ResultKind, StoredResult

pytestmark = pytest.mark.integration

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def uow(database: Database) -> SqlAlchemyUnitOfWork:
    return unit_of_work_factory(database)()


def a_job(
    job_id: str = "job-1", *, user_id: str | None = "user-1", at: datetime = T0, **changes: object
) -> Job:
    job = Job(
        id=job_id, kind="analyze_text", status=JobStatus.QUEUED, input={"text": "I has a cat."},
        created_at=at, updated_at=at, user_id=user_id,
    )
    return Job(**{**job.__dict__, **changes})


def a_result(result_id: str, at: datetime, *, kind: ResultKind = ResultKind.TEXT_ANALYSIS,
             session_id: str | None = "s-1", user_id: str = "user-1") -> StoredResult:
    return StoredResult(
        id=result_id, user_id=user_id, kind=kind, created_at=at, engine_version="local-1",
        payload={"cefr": "B1", "errors": [{"type": "grammar"}]}, session_id=session_id, score=61.5,
        input_hash="abc",
    )


async def test_commit_persists_a_job(uow: SqlAlchemyUnitOfWork, database: Database) -> None:
    async with uow:
        await uow.jobs.add(a_job())
        await uow.commit()

    async with unit_of_work_factory(database)() as fresh:
        assert await fresh.jobs.get("job-1") == a_job()


async def test_leaving_without_commit_rolls_back(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.jobs.add(a_job())
        await uow.results.add(a_result("r-1", T0))

    async with uow:
        assert await uow.jobs.get("job-1") is None
        assert await uow.results.get("r-1") is None


async def test_an_exception_inside_rolls_back(uow: SqlAlchemyUnitOfWork) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with uow:
            await uow.jobs.add(a_job())
            raise Boom

    async with uow:
        assert await uow.jobs.get("job-1") is None


async def test_explicit_rollback_discards_work_since_the_last_commit(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.jobs.add(a_job("kept"))
        await uow.commit()
        await uow.jobs.add(a_job("dropped"))
        await uow.rollback()
        await uow.commit()

    async with uow:
        assert await uow.jobs.get("kept") is not None
        assert await uow.jobs.get("dropped") is None


async def test_job_round_trip_keeps_json_error_and_aware_times(uow: SqlAlchemyUnitOfWork) -> None:
    plus_two = timezone(timedelta(hours=2))
    job = a_job(
        status=JobStatus.FAILED,
        input={"text": "Ünïcode ✓", "options": {"level": None, "tags": ["a", "b"]}, "n": 3},
        result={"partial": [1, 2.5, True]},
        error=JobError(code="audio_rejected", message="too long", field="audio"),
        created_at=datetime(2025, 3, 1, 11, 30, 0, 123456, tzinfo=plus_two),
        updated_at=datetime(2025, 3, 1, 9, 31, tzinfo=UTC),
        progress=0.25, attempts=2, idempotency_key="k-1", callback_url="https://example.org/hook",
        meta={"request_id": "r-9"},
    )
    async with uow:
        await uow.jobs.add(job)
        await uow.commit()

    async with uow:
        loaded = await uow.jobs.get(job.id)

    assert loaded == job
    assert loaded is not None
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert loaded.created_at == datetime(2025, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)
    assert loaded.updated_at.tzinfo is not None
    assert isinstance(loaded.error, JobError)


async def test_nullable_json_stays_none(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.jobs.add(a_job(user_id=None))
        await uow.commit()

    async with uow:
        loaded = await uow.jobs.get("job-1")

    assert loaded is not None
    assert (loaded.result, loaded.error, loaded.user_id, loaded.meta) == (None, None, None, {})


async def test_naive_timestamps_are_refused(uow: SqlAlchemyUnitOfWork) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        async with uow:
            await uow.jobs.add(a_job(created_at=datetime(2025, 3, 1), updated_at=datetime(2025, 3, 1)))


async def test_save_updates_status_and_progress(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.jobs.add(a_job())
        await uow.commit()

    later = T0 + timedelta(seconds=5)
    async with uow:
        job = await uow.jobs.get("job-1")
        assert job is not None
        running = job.moved_to(JobStatus.RUNNING, later, progress=0.4, attempts=1)
        await uow.jobs.save(running)
        await uow.commit()

    async with uow:
        saved = await uow.jobs.get("job-1")
    assert saved == running
    assert saved is not None
    assert (saved.status, saved.progress, saved.attempts) == (JobStatus.RUNNING, 0.4, 1)
    assert saved.updated_at == later
    assert saved.created_at == T0


async def test_a_heartbeat_can_carry_the_result_so_far_of_a_running_job(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.jobs.add(a_job())
        assert await uow.jobs.claim("job-1", T0, 60) is not None
        assert await uow.jobs.heartbeat("job-1", T0 + timedelta(seconds=1), 0.5, {"items": ["done"]}) \
            is JobStatus.RUNNING
        assert await uow.jobs.heartbeat("job-1", T0 + timedelta(seconds=2), 0.6) is JobStatus.RUNNING
        await uow.commit()
    async with uow:
        job = await uow.jobs.get("job-1")
    assert job is not None and (job.progress, job.result) == (0.6, {"items": ["done"]})


async def test_saving_an_unknown_job_fails(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        with pytest.raises(LookupError):
            await uow.jobs.save(a_job("missing"))


async def test_jobs_page_newest_first_with_a_keyset_cursor(uow: SqlAlchemyUnitOfWork) -> None:
    # two pairs share a creation time, so the id breaks the tie
    times = [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=1), T0 + timedelta(minutes=2),
             T0 + timedelta(minutes=3), T0 + timedelta(minutes=3), T0 + timedelta(minutes=4)]
    async with uow:
        for number, at in enumerate(times):
            await uow.jobs.add(a_job(f"job-{number}", at=at))
        await uow.jobs.add(a_job("other-user", user_id="user-2", at=T0 + timedelta(minutes=9)))
        await uow.commit()

    async with uow:
        pages: list[list[str]] = []
        after: str | None = None
        while True:
            page = await uow.jobs.list_for_user("user-1", limit=3, after=after)
            if not page:
                break
            pages.append([job.id for job in page])
            after = page[-1].id

    assert pages == [["job-6", "job-5", "job-4"], ["job-3", "job-2", "job-1"], ["job-0"]]


async def test_jobs_list_filters_by_status_and_ignores_a_foreign_cursor(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.jobs.add(a_job("queued", at=T0))
        await uow.jobs.add(a_job("running", at=T0 + timedelta(seconds=1), status=JobStatus.RUNNING))
        await uow.jobs.add(a_job("theirs", user_id="user-2", at=T0 + timedelta(seconds=2)))
        await uow.commit()

    async with uow:
        running = await uow.jobs.list_for_user("user-1", status=JobStatus.RUNNING)
        foreign_cursor = await uow.jobs.list_for_user("user-1", after="theirs")
        unknown_cursor = await uow.jobs.list_for_user("user-1", after="nope")

    assert [job.id for job in running] == ["running"]
    assert foreign_cursor == []
    assert unknown_cursor == []


async def test_idempotency_key_lookup_is_per_user(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        await uow.jobs.add(a_job("mine", idempotency_key="key-1"))
        await uow.jobs.add(a_job("theirs", user_id="user-2", idempotency_key="key-1"))
        await uow.jobs.add(a_job("anonymous", user_id=None, idempotency_key="key-1"))
        await uow.commit()

    async with uow:
        mine = await uow.jobs.find_by_idempotency_key("user-1", "key-1")
        anonymous = await uow.jobs.find_by_idempotency_key(None, "key-1")
        missing = await uow.jobs.find_by_idempotency_key("user-1", "key-2")

    assert mine is not None and mine.id == "mine"
    assert anonymous is not None and anonymous.id == "anonymous"
    assert missing is None


@pytest.mark.parametrize("user_id", ["user-1", None])
async def test_an_idempotency_key_is_unique_per_user(uow: SqlAlchemyUnitOfWork, user_id: str | None) -> None:
    async with uow:
        await uow.jobs.add(a_job("first", user_id=user_id, idempotency_key="key-1"))
        await uow.commit()

    with pytest.raises(IntegrityError):
        async with uow:
            await uow.jobs.add(a_job("second", user_id=user_id, idempotency_key="key-1"))


async def test_result_round_trip(uow: SqlAlchemyUnitOfWork) -> None:
    result = a_result("r-1", T0)
    async with uow:
        await uow.results.add(result)
        await uow.commit()

    async with uow:
        assert await uow.results.get("r-1") == result
        assert await uow.results.get("r-2") is None


async def test_results_filter_by_kind_session_and_time_oldest_first(uow: SqlAlchemyUnitOfWork) -> None:
    async with uow:
        for result in [
            a_result("r-late", T0 + timedelta(days=3)),
            a_result("r-early", T0),
            a_result("r-mid", T0 + timedelta(days=1)),
            a_result("r-pron", T0 + timedelta(days=2), kind=ResultKind.PRONUNCIATION),
            a_result("r-other-session", T0 + timedelta(days=2), session_id="s-2"),
            a_result("r-other-user", T0 + timedelta(days=2), user_id="user-2"),
        ]:
            await uow.results.add(result)
        await uow.commit()

    async with uow:
        def ids(results: list[StoredResult]) -> list[str]:
            return [r.id for r in results]

        everything = ids(await uow.results.list_for_user("user-1"))
        text = ids(await uow.results.list_for_user("user-1", kind=ResultKind.TEXT_ANALYSIS))
        session = ids(await uow.results.list_for_user("user-1", session_id="s-1"))
        window = ids(await uow.results.list_for_user(
            "user-1", since=T0 + timedelta(days=1), until=T0 + timedelta(days=3)
        ))
        limited = ids(await uow.results.list_for_user("user-1", limit=2))

    # r-other-session and r-pron share a time; the id orders them
    assert everything == ["r-early", "r-mid", "r-other-session", "r-pron", "r-late"]
    assert text == ["r-early", "r-mid", "r-other-session", "r-late"]
    assert session == ["r-early", "r-mid", "r-pron", "r-late"]
    assert window == ["r-mid", "r-other-session", "r-pron"]
    assert limited == ["r-early", "r-mid"]


async def test_database_probe_reports_up(database: Database) -> None:
    probe = DatabaseProbe(database)
    assert (probe.name, probe.kind, probe.required) == ("database", database.dialect, True)
    assert await probe.check() is ComponentState.UP


async def test_database_probe_reports_an_unreachable_server_down() -> None:
    unreachable = Database("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    try:
        readiness = await CheckReadiness([DatabaseProbe(unreachable)]).execute(CheckReadinessCommand(5.0))
    finally:
        await unreachable.dispose()
    assert readiness.down == ("database",)
    assert not readiness.ready


async def test_building_a_database_touches_nothing_until_used(tmp_path: Path) -> None:
    folder = tmp_path / "not" / "yet"
    database = Database(f"sqlite+aiosqlite:///{folder / 'englivo.db'}")
    assert (database.dialect, database.schema) == ("sqlite", None)
    assert not folder.exists()
    assert Database("postgresql+asyncpg://nobody@127.0.0.1:1/none", "mine").schema == "mine"

    await database.ping()
    assert (folder / "englivo.db").exists()
    async with database.engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    await database.dispose()


def test_only_the_async_drivers_of_sqlite_and_postgres_are_accepted() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        Database("mysql+aiomysql://root@localhost/englivo")


async def test_blobs_are_stored_once_by_content_and_expire(database: Database) -> None:
    from adapters.persistence.blobs import SqlBlobStore

    store = SqlBlobStore(database)
    audio = b"RIFF" + bytes(range(256)) * 40
    first, second = await asyncio.gather(store.put(audio), store.put(audio))
    assert first == second and len(first) == 64
    assert await store.get(first) == audio and await store.get("0" * 64) is None
    assert await store.delete_created_before(datetime.now(UTC) - timedelta(days=1)) == 0
    assert await store.delete_created_before(datetime.now(UTC) + timedelta(seconds=1)) == 1
    assert await store.get(first) is None
