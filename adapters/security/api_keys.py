from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable


class ApiKeyRing:
    """The accepted API keys. Several at once so keys can be rotated without downtime."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._digests = tuple(self._digest(k) for k in keys if k)

    @staticmethod
    def _digest(key: str) -> bytes:
        return hashlib.sha256(key.encode()).digest()

    def identify(self, presented: str | None) -> str | None:
        """A short, non-secret id of the matching key (safe for logs and rate-limit buckets), or None.

        Every stored key is compared, in constant time, whichever matches, so timing says nothing."""
        if not presented:
            return None
        digest = self._digest(presented)
        match: bytes | None = None
        for candidate in self._digests:
            if hmac.compare_digest(candidate, digest):
                match = candidate
        return match.hex()[:12] if match is not None else None

    def __len__(self) -> int:
        return len(self._digests)
