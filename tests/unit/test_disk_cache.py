from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import diskcache
import pytest

from adapters.cache import CacheBackendError, DiskCache, DiskCacheProbe
from domain.health import ComponentState

MB = 1024 * 1024


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[DiskCache]:
    cache = DiskCache(tmp_path / "cache", 10 * MB)
    yield cache
    cache.close()


@pytest.fixture
def broken_disk(tmp_path: Path) -> DiskCache:
    """A cache whose folder is a plain file: every operation fails underneath."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    return DiskCache(blocker, 10 * MB)


async def test_set_get_delete(disk: DiskCache) -> None:
    assert await disk.get("k") is None

    await disk.set("k", b"value", None)
    assert await disk.get("k") == b"value"

    await disk.delete("k")
    assert await disk.get("k") is None


async def test_delete_of_a_missing_key_is_fine(disk: DiskCache) -> None:
    await disk.delete("never-stored")

    assert await disk.get("never-stored") is None


async def test_large_values_round_trip(disk: DiskCache) -> None:
    value = bytes(range(256)) * 1024  # above diskcache's inline limit: stored as a file

    await disk.set("big", value, 60)

    assert await disk.get("big") == value


async def test_opens_lazily(tmp_path: Path) -> None:
    directory = tmp_path / "lazy"
    cache = DiskCache(directory, 10 * MB)
    assert not directory.exists()

    await cache.set("k", b"v", None)

    assert directory.is_dir()
    cache.close()


async def test_applies_the_size_limit(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "sized", 3 * MB)
    await cache.set("k", b"v", None)
    cache.close()

    with diskcache.Cache(str(tmp_path / "sized")) as raw:
        assert raw.size_limit == 3 * MB


async def test_value_expires_after_its_ttl(disk: DiskCache) -> None:
    await disk.set("k", b"short-lived", 1)
    assert await disk.get("k") == b"short-lived"

    await asyncio.sleep(1.1)

    assert await disk.get("k") is None


async def test_reports_the_remaining_lifetime(disk: DiskCache) -> None:
    await disk.set("ttl", b"v", 100)
    await disk.set("forever", b"v", None)

    found = await disk.get_with_ttl("ttl")
    assert found is not None
    assert found[0] == b"v"
    assert found[1] is not None and 98 < found[1] <= 100
    assert await disk.get_with_ttl("forever") == (b"v", None)
    assert await disk.get_with_ttl("missing") is None


async def test_ttl_zero_stores_nothing_and_drops_the_old_value(disk: DiskCache) -> None:
    await disk.set("new", b"v", 0)
    await disk.set("old", b"v1", None)
    await disk.set("old", b"v2", 0)

    assert await disk.get("new") is None
    assert await disk.get("old") is None


async def test_reopens_after_close(disk: DiskCache) -> None:
    await disk.set("k", b"v", None)
    disk.close()

    assert await disk.get("k") == b"v"


async def test_ping_round_trips(disk: DiskCache) -> None:
    await disk.ping()


async def test_disk_errors_are_cache_backend_errors(broken_disk: DiskCache) -> None:
    with pytest.raises(CacheBackendError, match="disk get failed") as raised:
        await broken_disk.get("k")
    assert isinstance(raised.value.__cause__, OSError | sqlite3.Error)

    with pytest.raises(CacheBackendError):
        await broken_disk.set("k", b"v", None)
    with pytest.raises(CacheBackendError):
        await broken_disk.delete("k")
    with pytest.raises(CacheBackendError):
        await broken_disk.ping()


async def test_probe_is_up_on_a_working_disk(disk: DiskCache) -> None:
    probe = DiskCacheProbe(disk)

    assert (probe.name, probe.kind, probe.required) == ("cache.disk", "cache", True)
    assert await probe.check() is ComponentState.UP


async def test_probe_raises_on_a_broken_disk(broken_disk: DiskCache) -> None:
    with pytest.raises(CacheBackendError):
        await DiskCacheProbe(broken_disk).check()
