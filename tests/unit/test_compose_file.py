"""docker-compose.yml stays valid: Compose's own `config` (parser, schema, interpolation) accepts it.

`docker-compose` is Debian's Compose (scripts/test.sh installs it where missing); `docker-compose config`
validates and prints the resolved file exactly as `docker compose config` does, with no daemon.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
KEY = "compose-test-key-0123456789"
ROLES = {"engine": ["englivo", "serve"], "migrate": ["englivo", "migrate"], "worker": ["englivo", "worker"]}


def _config(compose_file: Path, **env: str) -> subprocess.CompletedProcess[str]:
    compose = shutil.which("docker-compose")
    assert compose, "docker-compose is missing: scripts/test.sh installs it (apt-get install docker-compose)"
    environment = {k: v for k, v in os.environ.items() if k != "ENGLIVO_API_KEYS"} | env
    return subprocess.run(
        [compose, "--file", str(compose_file), "--project-directory", str(ROOT), "config"],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )


def test_compose_file_is_valid_and_runs_each_role_from_the_one_image() -> None:
    result = _config(COMPOSE_FILE, ENGLIVO_API_KEYS=KEY)

    assert result.returncode == 0, result.stderr
    services: dict[str, Any] = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {*ROLES, "redis", "postgres"}
    for role, command in ROLES.items():
        service = services[role]
        assert service["command"] == command
        assert service["image"] == "englivo-engine:latest"
        assert Path(service["build"]["context"]) == ROOT
        assert service["environment"]["ENGLIVO_SECURITY__API_KEYS"] == KEY
        assert service["environment"]["ENGLIVO_ENVIRONMENT"] == "production"
    for role in ("engine", "worker"):
        assert services[role]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[role]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_refuses_to_start_without_api_keys() -> None:
    result = _config(COMPOSE_FILE)

    assert result.returncode != 0
    assert "set ENGLIVO_API_KEYS" in result.stderr


def test_compose_config_rejects_a_file_outside_the_compose_schema(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE_FILE.read_text().replace("service_completed_successfully", "service_finished"))

    result = _config(broken, ENGLIVO_API_KEYS=KEY)

    assert result.returncode != 0
    assert "service_finished" in result.stderr
