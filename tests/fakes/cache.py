from __future__ import annotations


class InMemoryCache:
    """The Cache port over a dict; records what was read and written so tests can assert on it."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.gets: list[str] = []

    async def get(self, key: str) -> bytes | None:
        self.gets.append(key)
        return self.store.get(key)

    async def set(self, key: str, value: bytes, ttl_seconds: int | None) -> None:
        self.store[key] = value

    async def delete(self, key: str) -> None:
        self.store.pop(key, None)
