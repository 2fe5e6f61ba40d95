"""Shared fixtures. Integration fixtures fail, never skip, when Redis or PostgreSQL is missing:
`scripts/test.sh` starts both, and a silently skipped integration test proves nothing."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.redis_server import RedisServer

# The speech fixtures (models loaded once per session, both recognisers, a local audio server), available to
# every test without importing them into each module.
pytest_plugins = ["tests.support.transcription"]

REDIS_URL = os.environ.get("ENGLIVO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
POSTGRES_URL = os.environ.get(
    "ENGLIVO_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/englivo_test"
)
REPO_ROOT = Path(__file__).resolve().parents[1]
# Small samples of the public corpora, in their own layout (scripts/build_test_corpora.py): tests read
# these, never the full corpora, so a clone with nothing beside it passes.
CORPORA = REPO_ROOT / "tests" / "data" / "corpora"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def redis_url() -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({exc}); run scripts/services.sh")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(free_port(), directory)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def key_prefix() -> str:
    """A namespace of keys no other test touches."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def postgres_schema() -> AsyncIterator[tuple[str, str]]:
    """(url, schema): a fresh, empty schema on the test database, dropped afterwards."""
    import asyncpg

    dsn = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://")
    schema = f"englivo_t_{uuid.uuid4().hex[:10]}"
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(f"PostgreSQL is not reachable at {dsn} ({exc}); run scripts/services.sh")
    try:
        yield POSTGRES_URL, schema
    finally:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        await conn.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'englivo.db'}"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings read only what a test passes: no ENGLIVO_* from the shell, no .env file."""
    for name in list(os.environ):
        if name.startswith("ENGLIVO_") and not name.startswith("ENGLIVO_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(REPO_ROOT / "tests")
    yield


@pytest.fixture(scope="session")
def analysis_engine() -> Iterator[Any]:
    """The real offline analysis engine, loaded once per test session (loading takes seconds)."""
    from tests.analysis_engine import AnalysisEngine

    engine = AnalysisEngine.load()
    yield engine
    engine.close()


PRONUNCIATION_CLIPS = REPO_ROOT / "tests" / "data" / "pronunciation"


@pytest.fixture(scope="session")
def pronunciation_assessor(moonshine_models):  # type: ignore[no-untyped-def]
    """The real local assessor (pocketsphinx, Moonshine's encoder and the shipped regressors), loaded once per
    test session."""
    from adapters.pronunciation.local import LocalPronunciationAssessor
    from adapters.pronunciation.neural import PhoneStateEncoder
    from adapters.pronunciation.sphinx import SphinxModels

    assessor = LocalPronunciationAssessor(SphinxModels(1), PhoneStateEncoder(moonshine_models))
    assessor.load()
    return assessor


def clip(utt: str) -> tuple[bytes, str]:
    """(FLAC bytes, reference text) of a speechocean762 clip in tests/data/pronunciation."""
    import json

    for line in (PRONUNCIATION_CLIPS / "labels.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["utt"] == utt:
            return (PRONUNCIATION_CLIPS / row["audio"]).read_bytes(), row["text"]
    raise KeyError(utt)


def without_word(data: bytes, text: str, word: str, assessor) -> bytes:  # type: ignore[no-untyped-def]
    """The recording with `word` cut out, at the boundaries the aligner finds in the full recording."""
    import io

    import numpy as np
    import soundfile

    from adapters.audio.decoder import ALL_FORMATS, decode_bytes

    audio = decode_bytes(data, ALL_FORMATS)
    found = next(w for w in assessor.assess(audio, text).words if w.text == word)
    rate = audio.sample_rate
    mono = audio.mono
    samples = np.concatenate([mono[: int(found.start * rate)], mono[int(found.end * rate):]])
    out = io.BytesIO()
    soundfile.write(out, samples, rate, format="FLAC")
    return out.getvalue()
