"""Outbound URLs the engine is asked to call (audio downloads, webhooks): refuse what could reach inside."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from urllib.parse import urlsplit


class UrlRefused(ValueError):
    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
                or ip.is_unspecified)


def host_allowed(host: str, allowed: Sequence[str]) -> bool:
    """An empty allow-list allows any host; `example.com` also allows its subdomains."""
    host = host.lower().rstrip(".")
    return not allowed or any(host == a or host.endswith("." + a) for a in (x.lower() for x in allowed))


def check_outbound_url(
    url: str, *, require_https: bool, allow_private: bool, allowed_hosts: Sequence[str] = ()
) -> None:
    """Raises UrlRefused (code host_not_allowed or invalid_url) unless the URL may be called."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UrlRefused("must be an http(s) URL with a host", "invalid_url")
    if require_https and parts.scheme != "https":
        raise UrlRefused("must use https", "invalid_url")
    if not host_allowed(parts.hostname, allowed_hosts):
        raise UrlRefused(f"host {parts.hostname} is not on the allow-list", "host_not_allowed")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise UrlRefused(f"host {parts.hostname} does not resolve", "unreachable") from exc
    if any(not is_public_address(str(info[4][0])) for info in infos):
        raise UrlRefused(f"host {parts.hostname} resolves to a private, loopback or link-local address",
                         "host_not_allowed")
