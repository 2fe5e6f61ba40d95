from __future__ import annotations

from adapters.persistence.database import Database
from domain.health import ComponentState


class DatabaseProbe:
    """Ready when the database answers `SELECT 1`; any failure propagates and reads as down."""

    name = "database"

    def __init__(self, database: Database, required: bool = True) -> None:
        self._database = database
        self.kind: str = database.dialect
        self.required = required

    async def check(self) -> ComponentState:
        await self._database.ping()
        return ComponentState.UP
