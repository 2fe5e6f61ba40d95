from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from entrypoints.cli.main import cli
from entrypoints.settings import SettingsError
from entrypoints.worker import create_worker
from tests.api.conftest import make_settings

pytestmark = pytest.mark.integration


def test_the_cli_lists_its_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "worker", "migrate", "evaluate"):
        assert f"  {command} " in result.output


def test_the_installed_console_script_runs() -> None:
    script = Path(sys.executable).parent / "englivo"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0 and "evaluate" in result.stdout


def test_migrate_applies_and_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: None) -> None:
    monkeypatch.setenv("ENGLIVO_DATABASE__URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()
    assert runner.invoke(cli, ["migrate"]).output.strip() == "database at revision 0004"
    assert runner.invoke(cli, ["migrate", "--down"]).output.strip() == "database at revision base"


def test_bad_settings_stop_the_cli_with_the_variable_named(monkeypatch: pytest.MonkeyPatch, clean_env: None) -> None:
    monkeypatch.setenv("ENGLIVO_DATABASE__URL", "mysql://nope")
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code != 0 and "ENGLIVO_DATABASE__URL" in result.output


def test_the_worker_needs_a_broker(tmp_path: Path, clean_env: None) -> None:
    with pytest.raises(SettingsError, match="ENGLIVO_REDIS__URL"):
        create_worker(make_settings(tmp_path))


def test_a_real_worker_answers_a_task_over_redis(tmp_path: Path, clean_env: None, redis_url: str) -> None:
    app = create_worker(make_settings(tmp_path, redis={"url": redis_url}))
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    env_url = f"ENGLIVO_REDIS__URL={redis_url}"
    worker = subprocess.Popen(
        ["env", env_url, "ENGLIVO_DATABASE__URL=sqlite+aiosqlite:///" + str(tmp_path / "w.db"),
         str(Path(sys.executable).parent / "englivo"), "worker", "--concurrency", "1"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        result = app.send_task("englivo.ping")
        assert result.get(timeout=45) == "pong"
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert "englivo.ping" in output, output[-2000:]
