"""The NestJS orchestrator's view of the engine: the real service, started as `englivo serve`, called by a
Node GraphQL client (graphql-request, tests/node/) with an X-API-Key header, as the orchestrator calls it. The
client is TypeScript: `npm test` generates its operation types from schema.graphql (graphql-codegen), compiles
it with tsc and runs it, so an operation that no longer matches the schema fails here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT, free_port

NODE_DIR = REPO_ROOT / "tests" / "node"
API_KEY = "test-key"
STARTUP_SECONDS = 60.0
NODE_TIMEOUT_SECONDS = 240  # codegen and tsc, then the first analysis loads the models


@dataclass(frozen=True)
class Engine:
    base_url: str
    api_key: str


def _englivo() -> Path:
    """The CLI of the environment running the tests (.venv/bin/englivo under scripts/test.sh)."""
    for candidate in (Path(sys.executable).parent / "englivo", REPO_ROOT / ".venv" / "bin" / "englivo"):
        if candidate.exists():
            return candidate
    pytest.fail("no `englivo` executable next to the test interpreter or in .venv; run scripts/test.sh")


def _log(path: Path) -> str:
    return path.read_text(errors="replace")[-8000:] if path.exists() else "(no log)"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """`englivo serve` on a free port with SQLite and a disk cache in tmp_path; stopped afterwards."""
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("ENGLIVO_")}
    env.update(
        ENGLIVO_ENVIRONMENT="test",
        ENGLIVO_SECURITY__API_KEYS=API_KEY,
        ENGLIVO_DATABASE__URL=f"sqlite+aiosqlite:///{tmp_path / 'e.db'}",
        ENGLIVO_CACHE__DIR=str(tmp_path / "cache"),
        ENGLIVO_DATA_DIR=str(tmp_path / "data"),
        ENGLIVO_REDIS__URL="",
    )
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [str(_englivo()), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,  # no .env from the repository root is read
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"englivo serve exited with {server.returncode} before it was up:\n{_log(log_path)}"
                )
            try:
                if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"englivo serve did not answer /health within {STARTUP_SECONDS:.0f} s:\n{_log(log_path)}"
                )
            time.sleep(0.25)
        yield Engine(base_url=base_url, api_key=API_KEY)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


@pytest.fixture
def npm() -> str:
    """npm with tests/node's packages installed (the client, graphql-codegen, tsc); checked before the server
    starts."""
    executable = shutil.which("npm")
    if executable is None or shutil.which("node") is None:
        pytest.fail("node or npm is not installed; run scripts/test.sh (it installs Node.js and tests/node)")
    missing = [name for name in ("graphql-request", ".bin/graphql-codegen", ".bin/tsc")
               if not (NODE_DIR / "node_modules" / name).exists()]
    if missing:
        pytest.fail(
            f"tests/node/node_modules lacks {missing}; run scripts/test.sh (it runs `npm ci` in tests/node)"
        )
    return executable


@pytest.mark.integration
def test_node_graphql_client_calls_the_engine_as_the_orchestrator_does(npm: str, engine: Engine) -> None:
    env = {**os.environ, "ENGINE_URL": f"{engine.base_url}/graphql", "ENGINE_API_KEY": engine.api_key}
    env.pop("NODE_OPTIONS", None)
    # package.json's "test": graphql-codegen, tsc, then `node --test` on the compiled file.
    result = subprocess.run(
        [npm, "test", "--silent"],
        cwd=NODE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT_SECONDS,
    )

    assert result.returncode == 0, (
        f"npm test (in tests/node) exited with {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
