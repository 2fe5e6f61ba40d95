from __future__ import annotations

import hashlib
import json
import re

import pytest

from application.caching import cache_key, cached
from tests.fakes.cache import InMemoryCache


def encode(value: dict[str, int]) -> bytes:
    return json.dumps(value).encode()


def decode(raw: bytes) -> dict[str, int]:
    value = json.loads(raw)
    return {"score": int(value["score"])}


class Compute:
    """Counts its calls; fails when told to."""

    def __init__(self, score: int = 7, error: Exception | None = None) -> None:
        self.calls = 0
        self._score = score
        self._error = error

    async def __call__(self) -> dict[str, int]:
        self.calls += 1
        if self._error is not None:
            raise self._error
        return {"score": self._score}


def test_cache_key_has_prefix_version_and_sha256() -> None:
    key = cache_key("analysis", "v3", {"text": "hello"})

    assert re.fullmatch(r"analysis:v3:[0-9a-f]{64}", key)
    assert key == "analysis:v3:" + hashlib.sha256(b'{"text":"hello"}').hexdigest()


def test_cache_key_is_stable_across_dict_order() -> None:
    first = cache_key("cefr", "1", {"text": "hi", "options": {"a": 1, "b": [1, 2]}})
    second = cache_key("cefr", "1", {"options": {"b": [1, 2], "a": 1}, "text": "hi"})

    assert first == second


def test_cache_key_changes_with_inputs_version_and_prefix() -> None:
    base = cache_key("cefr", "1", {"text": "hi"})

    assert cache_key("cefr", "1", {"text": "ho"}) != base
    assert cache_key("cefr", "2", {"text": "hi"}) != base
    assert cache_key("analysis", "1", {"text": "hi"}) != base


def test_cache_key_hashes_bytes_as_they_are() -> None:
    audio = b"RIFF\x00\x01fake-wave"

    assert cache_key("transcription", "tiny.en", audio) == (
        "transcription:tiny.en:" + hashlib.sha256(audio).hexdigest()
    )


async def test_cached_computes_once_then_hits() -> None:
    cache = InMemoryCache()
    compute = Compute(score=7)

    first = await cached(cache, "k", 60, compute, encode, decode)
    second = await cached(cache, "k", 60, compute, encode, decode)

    assert first == second == {"score": 7}
    assert compute.calls == 1
    assert cache.entries["k"].value == encode({"score": 7})
    assert cache.entries["k"].ttl_seconds == 60


async def test_cached_stores_nothing_when_compute_fails() -> None:
    cache = InMemoryCache()

    with pytest.raises(RuntimeError, match="engine down"):
        await cached(cache, "k", 60, Compute(error=RuntimeError("engine down")), encode, decode)

    assert cache.entries == {}


async def test_cached_recomputes_an_undecodable_value() -> None:
    cache = InMemoryCache()
    await cache.set("k", b"\x00 not json", 60)
    compute = Compute(score=3)

    value = await cached(cache, "k", 60, compute, encode, decode)

    assert value == {"score": 3}
    assert compute.calls == 1
    assert cache.entries["k"].value == encode({"score": 3})


async def test_cached_recomputes_a_value_of_the_wrong_shape() -> None:
    cache = InMemoryCache()
    await cache.set("k", b'{"other": 1}', None)

    value = await cached(cache, "k", None, Compute(score=5), encode, decode)

    assert value == {"score": 5}
    assert cache.entries["k"].ttl_seconds is None
