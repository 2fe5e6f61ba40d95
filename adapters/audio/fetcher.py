"""Audio by URL, fetched defensively: scheme and host checks, no private addresses, a byte cap, timeouts.

Every hop of a redirect is checked again. The host is resolved before connecting and refused when any
address is private, loopback, link-local, multicast or reserved (unless `allow_private_hosts`, for
development and tests). httpx resolves the name once more when it connects; a DNS answer that changes
in between (rebinding) is the residual risk, small next to the byte cap and the deadline.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from adapters.security.urls import host_allowed, is_public_address
from domain.errors import AudioRejected

MAX_REDIRECTS = 3
RETRYABLE_STATUSES = frozenset({408, 425, 429})
"""Besides every 5xx: answers that say "not now" rather than "never" (RFC 9110, RFC 6585)."""


@dataclass(frozen=True)
class FetchPolicy:
    allowed_hosts: Sequence[str] = field(default_factory=tuple)
    allow_private_hosts: bool = False
    require_https: bool = True
    timeout_seconds: float = 20.0


class HttpAudioFetcher:
    def __init__(self, policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._policy = policy
        self._transport = transport

    async def fetch(self, url: str, max_bytes: int) -> bytes:
        try:
            async with asyncio.timeout(self._policy.timeout_seconds):
                return await self._fetch(url, max_bytes)
        except TimeoutError:
            raise _unreachable(
                f"The audio URL did not answer within {self._policy.timeout_seconds:g} s.", retryable=True
            ) from None

    async def _fetch(self, url: str, max_bytes: int) -> bytes:
        timeout = httpx.Timeout(self._policy.timeout_seconds)
        async with httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, transport=self._transport
        ) as client:
            for _ in range(MAX_REDIRECTS + 1):
                await self._check(url)
                try:
                    async with client.stream("GET", url) as response:
                        if response.is_redirect and "location" in response.headers:
                            url = urljoin(url, response.headers["location"])
                            continue
                        if response.status_code >= 400:
                            status = response.status_code
                            raise _unreachable(
                                f"The audio URL answered HTTP {status}.",
                                retryable=status >= 500 or status in RETRYABLE_STATUSES,
                            )
                        return await _read_capped(response, max_bytes)
                except httpx.HTTPError as exc:
                    raise _unreachable(
                        f"The audio URL could not be fetched ({type(exc).__name__}).", retryable=True
                    ) from exc
        raise _unreachable(f"The audio URL redirected more than {MAX_REDIRECTS} times.")

    async def _check(self, url: str) -> None:
        parts = urlsplit(url)
        allowed_schemes = ("https",) if self._policy.require_https else ("https", "http")
        if parts.scheme not in allowed_schemes or not parts.hostname:
            raise AudioRejected(
                f"Audio URLs must use {' or '.join(allowed_schemes)}.",
                code="host_not_allowed",
                field="audio.url",
            )
        host = parts.hostname
        if not host_allowed(host, self._policy.allowed_hosts):
            raise AudioRejected(
                f"The host {host} is not allowed.", code="host_not_allowed", field="audio.url"
            )
        if self._policy.allow_private_hosts:
            return
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, parts.port or 443, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise _unreachable(f"The host {host} could not be resolved.", retryable=True) from exc
        if not all(is_public_address(str(info[4][0])) for info in infos):
            raise AudioRejected(
                f"The host {host} resolves to a private or local address.",
                code="host_not_allowed",
                field="audio.url",
            )


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
    return bytes(body)


def _too_large(max_bytes: int) -> AudioRejected:
    limit = f"{max_bytes / 1_000_000:g} MB"
    return AudioRejected(
        f"The audio file is larger than {limit}.", code="too_large", field="audio.url", limit=limit
    )


def _unreachable(message: str, retryable: bool = False) -> AudioRejected:
    """`retryable`: the host may answer later (a timeout, a dropped connection, a 5xx), so a job tries again."""
    return AudioRejected(message, code="unreachable", field="audio.url", retryable=retryable)
