"""The one guard for every outbound request the engine is asked to make: audio downloads (each redirect hop)
and job webhooks.

A request goes out only to an address that was checked. The host is resolved once; every address it
resolves to must be globally routable unicast (unless the policy allows private hosts, for development and
tests); the connection is then made to one of those addresses, with the Host header and the TLS name (SNI
and the certificate check) kept, so a second DNS answer cannot swap the address (DNS rebinding). Proxies
from the environment are not used: they would connect somewhere unchecked.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from domain.errors import InvalidInput

RefusalCode = Literal["invalid_url", "host_not_allowed", "unreachable"]
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""(host, port) -> the addresses to connect to; raises OSError when the name does not resolve."""

_IP = ipaddress.IPv4Address | ipaddress.IPv6Address

# Special ranges that `is_global` passes (in some or all Python versions) yet must not be reached.
_NOT_GLOBAL = tuple(ipaddress.ip_network(n) for n in (
    "100.64.0.0/10",  # shared address space (carrier-grade NAT; 100.100.100.200 is a cloud metadata address)
    "192.0.0.0/24",  # IETF protocol assignments
    "198.18.0.0/15",  # benchmarking
    "fec0::/10",  # IPv6 site-local (deprecated, still routed inside some networks)
    "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
))
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class UrlRefused(Exception):
    """`code`: invalid_url (malformed), host_not_allowed (scheme, allow-list or address), unreachable (the
    name does not resolve now; worth trying again later)."""

    def __init__(self, reason: str, code: RefusalCode) -> None:
        super().__init__(reason)
        self.code: RefusalCode = code


def parse_url(url: str | httpx.URL) -> httpx.URL:
    """The URL as the HTTP client will read it (one parser for checking and connecting), or UrlRefused
    invalid_url: it must be absolute, with a host, and any port must be 1 to 65535."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise UrlRefused(f"is not a valid URL ({exc})", "invalid_url") from None
    if not parsed.scheme or not parsed.raw_host:
        raise UrlRefused("must be an absolute URL with a host, e.g. https://example.com/audio.mp3", "invalid_url")
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise UrlRefused(f"has port {parsed.port}; a port must be 1 to 65535", "invalid_url")
    return parsed


def require_valid_url(url: str | None, field: str) -> None:
    """The input boundary's check (no I/O): a malformed URL is the caller's InvalidInput on `field`."""
    if url is None:
        return
    try:
        parse_url(url)
    except UrlRefused as exc:
        raise InvalidInput(f"{field} {exc}", field=field) from None


def is_public_address(address: str) -> bool:
    """Globally routable unicast. An IPv6 address that embeds an IPv4 address (IPv4-mapped, 6to4, Teredo,
    NAT64) reaches that IPv4 address, so it is judged by it."""
    try:
        ip: _IP = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone id
    except ValueError:
        return False
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return all(is_public_address(str(inner)) for inner in embedded)
    return (ip.is_global and not ip.is_multicast and not ip.is_reserved and not ip.is_unspecified
            and not any(ip in network for network in _NOT_GLOBAL))


def _embedded_ipv4(ip: _IP) -> tuple[ipaddress.IPv4Address, ...] | None:
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return (ip.ipv4_mapped,)
    if ip.sixtofour is not None:
        return (ip.sixtofour,)
    if ip.teredo is not None:
        return ip.teredo  # the relay server and the client behind it
    if ip in _NAT64:
        return (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF),)
    return None


def host_allowed(host: str, allowed: Sequence[str]) -> bool:
    """An empty allow-list allows any host; `example.com` also allows its subdomains."""
    host = host.lower().rstrip(".")
    return not allowed or any(host == a or host.endswith("." + a) for a in (x.lower() for x in allowed))


async def resolve_host(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class OutboundPolicy:
    allowed_hosts: Sequence[str] = ()
    allow_private: bool = False
    """Development and tests: private and loopback addresses may be called (still resolved once and pinned)."""
    require_https: bool = True


class OutboundGuard:
    """Checks a URL and connects only to the addresses it checked. `resolve` and `transport` (what connects
    to the pinned address) are the DNS and the network: tests pass a stub resolver and httpx.MockTransport."""

    def __init__(
        self,
        policy: OutboundPolicy,
        resolve: Resolver = resolve_host,
        transport: Callable[[], httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        self.policy = policy
        self._resolve = resolve
        self._transport = transport or _direct_transport

    async def check(self, url: str | httpx.URL) -> list[str]:
        """The checked addresses to connect to, in the resolver's order; raises UrlRefused."""
        parsed = parse_url(url)
        schemes = ("https",) if self.policy.require_https else ("https", "http")
        if parsed.scheme not in schemes:
            raise UrlRefused(f"must use {' or '.join(schemes)}", "host_not_allowed")
        host = _host(parsed)
        if not host_allowed(host, self.policy.allowed_hosts):
            raise UrlRefused(f"host {host} is not on the allow-list", "host_not_allowed")
        addresses = [host] if _is_ip(host) else await self._addresses(host, parsed.port or _default_port(parsed))
        if not self.policy.allow_private and not all(is_public_address(a) for a in addresses):
            raise UrlRefused(f"host {host} is not a public address (private, loopback, link-local, shared, "
                             "multicast or reserved)", "host_not_allowed")
        return addresses

    def client(self, **options: Any) -> httpx.AsyncClient:
        """An HTTP client whose every request (a redirect hop is a request: follow them by hand) is checked and
        pinned; environment proxies and .netrc are ignored."""
        return httpx.AsyncClient(transport=PinnedTransport(self, self._transport()), trust_env=False,
                                 follow_redirects=False, **options)

    async def _addresses(self, host: str, port: int) -> list[str]:
        try:
            addresses = list(await self._resolve(host, port))
        except OSError as exc:
            raise UrlRefused(f"host {host} does not resolve ({exc.strerror or exc})", "unreachable") from None
        if not addresses:
            raise UrlRefused(f"host {host} does not resolve", "unreachable")
        return addresses


class PinnedTransport(httpx.AsyncBaseTransport):
    """Sends each request to an address the guard checked for it, trying the next on a connection failure."""

    def __init__(self, guard: OutboundGuard, inner: httpx.AsyncBaseTransport) -> None:
        self._guard = guard
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        addresses = await self._guard.check(request.url)
        host = _host(request.url)
        failure: httpx.ConnectError | None = None
        for address in addresses:
            extensions = dict(request.extensions)
            if not _is_ip(host):
                extensions["sni_hostname"] = host  # TLS names and verifies the host, not the address
            pinned = httpx.Request(request.method, request.url.copy_with(host=address), headers=request.headers,
                                   stream=request.stream, extensions=extensions)
            try:
                return await self._inner.handle_async_request(pinned)
            except httpx.ConnectError as exc:
                failure = exc
        assert failure is not None  # check() returns at least one address
        raise failure

    async def aclose(self) -> None:
        await self._inner.aclose()


def _direct_transport() -> httpx.AsyncBaseTransport:
    # No kept-alive connections: a connection made for one host is never reused for another host that
    # resolved to the same address (the pool knows only the address), so each request's TLS name is its own.
    return httpx.AsyncHTTPTransport(limits=httpx.Limits(max_keepalive_connections=0))


def _host(url: httpx.URL) -> str:
    """The ASCII host (IDNA for names, no brackets for IPv6), as DNS and TLS take it."""
    return url.raw_host.decode("ascii").lower()


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80
