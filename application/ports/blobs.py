from __future__ import annotations

from datetime import datetime
from typing import Protocol


class BlobStore(Protocol):
    """Bytes by content hash (sha256 hex), so any worker can read what a request uploaded."""

    async def put(self, data: bytes) -> str: ...

    async def get(self, blob_id: str) -> bytes | None: ...

    async def delete_created_before(self, cutoff: datetime) -> int: ...
