"""Alembic, driven from code: `englivo migrate` and development start-up call these.

They are synchronous and run their own event loop (Alembic's env.py uses `asyncio.run`), so they must not be
called from inside a running loop: from async code, use `await asyncio.to_thread(upgrade, url, schema)`.
"""

from __future__ import annotations

import asyncio
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from adapters.persistence.tables import SCHEMA_PLACEHOLDER


def migrations_folder() -> Path:
    return Path(str(resources.files("migrations")))


def alembic_config(url: str, schema: str = SCHEMA_PLACEHOLDER) -> Config:
    """A Config with no ini file; env.py reads the URL and schema from `attributes`."""
    config = Config()
    config.set_main_option("script_location", str(migrations_folder()).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes["url"] = url
    config.attributes["schema"] = schema
    return config


def upgrade(url: str, schema: str = SCHEMA_PLACEHOLDER, revision: str = "head") -> None:
    _outside_event_loop()
    command.upgrade(alembic_config(url, schema), revision)


def downgrade(url: str, schema: str = SCHEMA_PLACEHOLDER, revision: str = "base") -> None:
    _outside_event_loop()
    command.downgrade(alembic_config(url, schema), revision)


def current_revision(url: str, schema: str = SCHEMA_PLACEHOLDER) -> str | None:
    """The revision the database is at; None before the first upgrade. Creates no schema or table."""
    _outside_event_loop()
    config = alembic_config(url, schema)
    config.attributes["read_only"] = True
    script = ScriptDirectory.from_config(config)
    found: list[str | None] = []

    def read(heads: Any, context: MigrationContext) -> list[Any]:
        found.append(context.get_current_revision())
        return []

    with EnvironmentContext(config, script, fn=read, dont_mutate=True):
        script.run_env()
    return found[0] if found else None


def _outside_event_loop() -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError("migrations run their own event loop: call them with asyncio.to_thread(...)")
