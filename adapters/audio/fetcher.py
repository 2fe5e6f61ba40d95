"""Audio by URL, fetched defensively: the outbound guard (scheme, allow-list, public addresses only, the
connection pinned to the checked address), a byte cap, timeouts.

Redirects are followed here, hop by hop, so that each hop is a request the guard checks and pins again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from adapters.security.urls import OutboundGuard, OutboundPolicy, Resolver, UrlRefused, parse_url, resolve_host
from domain.errors import AudioRejected, InvalidInput

MAX_REDIRECTS = 3
RETRYABLE_STATUSES = frozenset({408, 425, 429})
"""Besides every 5xx: answers that say "not now" rather than "never" (RFC 9110, RFC 6585)."""
FIELD = "audio.url"


@dataclass(frozen=True)
class FetchPolicy:
    allowed_hosts: Sequence[str] = field(default_factory=tuple)
    allow_private_hosts: bool = False
    require_https: bool = True
    timeout_seconds: float = 20.0


class HttpAudioFetcher:
    """`resolve` and `transport` stand for DNS and the network (see OutboundGuard); tests replace them."""

    def __init__(
        self, policy: FetchPolicy, resolve: Resolver = resolve_host, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self._policy = policy
        outbound = OutboundPolicy(policy.allowed_hosts, policy.allow_private_hosts, policy.require_https)
        self._guard = OutboundGuard(outbound, resolve, (lambda: transport) if transport is not None else None)

    async def fetch(self, url: str, max_bytes: int) -> bytes:
        try:
            async with asyncio.timeout(self._policy.timeout_seconds):
                return await self._fetch(url, max_bytes)
        except TimeoutError:
            raise _unreachable(
                f"The audio URL did not answer within {self._policy.timeout_seconds:g} s.", retryable=True
            ) from None

    async def _fetch(self, url: str, max_bytes: int) -> bytes:
        try:
            target = parse_url(url)
        except UrlRefused as exc:
            raise InvalidInput(f"{FIELD} {exc}", field=FIELD) from None
        async with self._guard.client(timeout=httpx.Timeout(self._policy.timeout_seconds)) as client:
            for _ in range(MAX_REDIRECTS + 1):
                try:
                    async with client.stream("GET", target) as response:
                        if response.is_redirect and "location" in response.headers:
                            target = _next_hop(target, response.headers["location"])
                            continue
                        if response.status_code >= 400:
                            status = response.status_code
                            raise _unreachable(
                                f"The audio URL answered HTTP {status}.",
                                retryable=status >= 500 or status in RETRYABLE_STATUSES,
                            )
                        return await _read_capped(response, max_bytes)
                except UrlRefused as exc:
                    raise _refused(exc, target) from None
                except httpx.HTTPError as exc:
                    raise _unreachable(
                        f"The audio URL could not be fetched ({type(exc).__name__}).", retryable=True
                    ) from exc
        raise _unreachable(f"The audio URL redirected more than {MAX_REDIRECTS} times.")


def _next_hop(current: httpx.URL, location: str) -> httpx.URL:
    try:
        return parse_url(urljoin(str(current), location))
    except UrlRefused as exc:
        raise _unreachable(f"The audio URL redirected to a malformed URL ({exc}).") from None


def _refused(exc: UrlRefused, url: httpx.URL) -> AudioRejected:
    if exc.code == "unreachable":  # the name does not resolve now: DNS may answer later
        return _unreachable(f"The host {url.host} could not be resolved.", retryable=True)
    return AudioRejected(f"The audio URL {exc}.", code="host_not_allowed", field=FIELD)


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
        f"The audio file is larger than {limit}.", code="too_large", field=FIELD, limit=limit
    )


def _unreachable(message: str, retryable: bool = False) -> AudioRejected:
    """`retryable`: the host may answer later (a timeout, a dropped connection, a 5xx), so a job tries again."""
    return AudioRejected(message, code="unreachable", field=FIELD, retryable=retryable)
