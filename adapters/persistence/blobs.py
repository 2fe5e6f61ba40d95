from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, insert, select
from sqlalchemy.exc import IntegrityError

from adapters.persistence.database import Database
from adapters.persistence.tables import blobs


class SqlBlobStore:
    """Blobs in the engine's database: every service process and Celery worker can read them, on any host."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def put(self, data: bytes) -> str:
        blob_id = hashlib.sha256(data).hexdigest()
        try:
            async with self._database.writing(), self._database.engine.begin() as conn:
                exists = (await conn.execute(select(blobs.c.id).where(blobs.c.id == blob_id))).first()
                if exists is None:
                    row = {"id": blob_id, "size": len(data), "content": data, "created_at": datetime.now(UTC)}
                    await conn.execute(insert(blobs).values(row))
        except IntegrityError:  # the same bytes stored at the same moment by another request: same content
            pass
        return blob_id

    async def get(self, blob_id: str) -> bytes | None:
        async with self._database.engine.connect() as conn:
            content = (await conn.execute(select(blobs.c.content).where(blobs.c.id == blob_id))).scalar()
        return bytes(content) if content is not None else None

    async def delete_created_before(self, cutoff: datetime) -> int:
        async with self._database.writing(), self._database.engine.begin() as conn:
            outcome = cast(CursorResult[Any], await conn.execute(delete(blobs).where(blobs.c.created_at < cutoff)))
        return int(outcome.rowcount)
