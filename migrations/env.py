"""Alembic environment for the engine's async drivers.

The URL and schema come from `config.attributes` (set by adapters.persistence.migrate), else from
`sqlalchemy.url` in the ini file, else from ENGLIVO_DATABASE__URL / ENGLIVO_DATABASE__DB_SCHEMA.
On PostgreSQL the tables and the version table live in that schema; SQLite has no schemas.
"""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.schema import CreateSchema

from adapters.persistence.database import Database
from adapters.persistence.tables import SCHEMA_PLACEHOLDER, metadata_in

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or os.environ.get(
        "ENGLIVO_DATABASE__URL"
    )
    if not url:
        raise RuntimeError("no database URL: set ENGLIVO_DATABASE__URL or sqlalchemy.url")
    return str(url)


def _schema() -> str:
    return str(
        config.attributes.get("schema") or os.environ.get("ENGLIVO_DATABASE__DB_SCHEMA") or SCHEMA_PLACEHOLDER
    )


def _configure(schema: str | None, **options: Any) -> None:
    context.configure(
        target_metadata=metadata_in(schema),
        version_table_schema=schema,
        include_schemas=schema is not None,
        include_name=lambda name, type_, parents: type_ != "schema" or name == schema,
        compare_type=True,
        # read by the revisions, which name the schema explicitly so offline SQL is right too
        englivo_schema=schema,
        **options,
    )


def _run_offline() -> None:
    url = _url()
    schema = _schema() if url.startswith("postgresql") else None
    _configure(schema, url=url, literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        if schema is not None:
            context.execute(CreateSchema(schema, if_not_exists=True))
        context.run_migrations()


def _migrate(connection: Connection, schema: str | None) -> None:
    _configure(schema, connection=connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    database = Database(_url(), _schema())
    try:
        async with database.engine.connect() as connection:
            if database.schema is not None and not config.attributes.get("read_only"):
                await connection.execute(CreateSchema(database.schema, if_not_exists=True))
                await connection.commit()
            await connection.run_sync(_migrate, database.schema)
            await connection.commit()
    finally:
        await database.dispose()


if config.config_file_name is not None and not config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    _run_offline()
else:
    asyncio.run(_run_online())
