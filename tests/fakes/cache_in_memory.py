from __future__ import annotations


class InMemoryCache:
    """The Cache port over a dict; records writes so tests can assert what was (not) stored."""

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}
        self.writes: list[str] = []
        self.hits = 0

    async def get(self, key: str) -> bytes | None:
        value = self.values.get(key)
        self.hits += value is not None
        return value

    async def set(self, key: str, value: bytes, ttl_seconds: int | None) -> None:
        self.values[key] = value
        self.writes.append(key)

    async def delete(self, key: str) -> None:
        self.values.pop(key, None)
