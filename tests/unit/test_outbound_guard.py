"""The outbound guard (issue 17.1): every audio download, each redirect hop and each webhook goes only to an
address that was checked, pinned for the connection. DNS is a stub and the network an httpx.MockTransport
(or a server on 127.0.0.1), so nothing leaves the machine; a refusal is asserted before any request."""

from __future__ import annotations

import httpx
import pytest

from adapters.audio.fetcher import FetchPolicy, HttpAudioFetcher
from adapters.jobs.webhooks import StandardWebhookSender
from adapters.security.urls import OutboundGuard, OutboundPolicy
from application.ports.jobs import TransientJobError, WebhookRefused
from domain.errors import AudioRejected, InvalidInput
from tests.support.outbound import RecordingNetwork, StubDns

PUBLIC = "93.184.215.14"
SECRET = "whsec_ZW5nbGl2by10ZXN0LXNlY3JldC0zMi1ieXRlcy1sb25n"

# Addresses that must never be reached, with why; the four first.
REFUSED = [
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "100.100.100.200",  # a cloud metadata service inside 100.64.0.0/10
    "fec0::1",  # IPv6 site-local
    "2002:a9fe:a9fe::1",  # 6to4 embedding 169.254.169.254
    "192.0.0.9",  # IETF protocol assignments, 192.0.0.0/24
    "198.18.0.1",  # benchmarking
    "224.0.0.1",  # multicast is not unicast
    "239.255.255.250",
    "ff0e::1",  # global-scope IPv6 multicast
    "::ffff:10.0.0.1",  # IPv4-mapped private
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "::7f00:1",  # IPv4-compatible 127.0.0.1
    "127.0.0.1",
    "10.1.2.3",
    "169.254.169.254",
    "::1",
    "fe80::1",
    "0.0.0.0",
]


def fetcher(dns: StubDns, network: RecordingNetwork, require_https: bool = True) -> HttpAudioFetcher:
    return HttpAudioFetcher(FetchPolicy(require_https=require_https), resolve=dns, transport=network.transport)


def literal(address: str) -> str:
    return f"[{address}]" if ":" in address else address


@pytest.mark.parametrize("address", REFUSED)
async def test_a_name_resolving_to_a_special_address_is_refused_before_any_request(address: str) -> None:
    dns, network = StubDns({"audio.example": [address]}), RecordingNetwork()
    with pytest.raises(AudioRejected) as refused:
        await fetcher(dns, network).fetch("https://audio.example/a.wav", 1000)
    assert (refused.value.code, refused.value.field) == ("host_not_allowed", "audio.url")
    assert dns.lookups == ["audio.example"] and network.requests == []


@pytest.mark.parametrize("address", REFUSED)
async def test_a_special_address_written_in_the_url_is_refused_without_a_lookup(address: str) -> None:
    dns, network = StubDns({}), RecordingNetwork()
    with pytest.raises(AudioRejected) as refused:
        await fetcher(dns, network, require_https=False).fetch(f"http://{literal(address)}/x", 1000)
    assert refused.value.code == "host_not_allowed"
    assert dns.lookups == [] and network.requests == []


async def test_one_private_answer_among_public_ones_refuses_the_name() -> None:
    dns, network = StubDns({"audio.example": [PUBLIC, "10.0.0.7"]}), RecordingNetwork()
    with pytest.raises(AudioRejected, match="not a public address"):
        await fetcher(dns, network).fetch("https://audio.example/a.wav", 1000)
    assert network.requests == []


@pytest.mark.parametrize("address", [PUBLIC, "2606:4700:4700::1111", "2002:808:808::1", "64:ff9b::808:808"])
async def test_public_addresses_are_fetched(address: str) -> None:
    network = RecordingNetwork()
    data = await fetcher(StubDns({"audio.example": [address]}), network).fetch("https://audio.example/a.wav", 1000)
    assert data == b"RIFF-audio" and len(network.requests) == 1


async def test_the_connection_goes_to_the_checked_address_and_keeps_the_name() -> None:
    """The name is looked up once; a second answer (rebinding to loopback) is never asked for or used."""
    dns = StubDns({"audio.example": [[PUBLIC], ["127.0.0.1"]]})
    network = RecordingNetwork()
    await fetcher(dns, network).fetch("https://audio.example:8443/a.wav?v=2", 1000)
    [sent] = network.requests
    assert str(sent.url) == f"https://{PUBLIC}:8443/a.wav?v=2"
    assert sent.headers["host"] == "audio.example:8443"
    assert sent.extensions["sni_hostname"] == "audio.example"
    assert dns.lookups == ["audio.example"]


async def test_a_connection_failure_moves_on_to_the_next_checked_address() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.host == PUBLIC:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, content=b"RIFF-audio")

    network = RecordingNetwork(respond)
    dns = StubDns({"audio.example": [PUBLIC, "2606:4700:4700::1111"]})
    assert await fetcher(dns, network).fetch("https://audio.example/a.wav", 1000) == b"RIFF-audio"
    assert [r.url.host for r in network.requests] == [PUBLIC, "2606:4700:4700::1111"]


def redirecting(location: str) -> RecordingNetwork:
    """/a.wav redirects to `location`; anything else is the audio."""
    return RecordingNetwork(lambda request: httpx.Response(302, headers={"location": location})
                            if request.url.path == "/a.wav" else httpx.Response(200, content=b"RIFF-audio"))


@pytest.mark.parametrize(("location", "code"), [
    ("http://100.100.100.200/latest/meta-data/", "host_not_allowed"),
    ("https://[fec0::1]/a.wav", "host_not_allowed"),
    ("https://internal.example/b.wav", "host_not_allowed"),
    ("http://127.0.0.1:99999/b.wav", "unreachable"),  # a malformed hop is the audio host's fault, not the caller's
])
async def test_each_redirect_hop_is_checked_before_it_is_requested(location: str, code: str) -> None:
    dns = StubDns({"audio.example": [PUBLIC], "internal.example": ["100.64.7.7"]})
    network = redirecting(location)
    with pytest.raises(AudioRejected) as refused:
        await fetcher(dns, network, require_https=False).fetch("https://audio.example/a.wav", 1000)
    assert (refused.value.code, refused.value.retryable) == (code, False)
    assert [str(r.url) for r in network.requests] == [f"https://{PUBLIC}/a.wav"]


async def test_a_redirect_to_a_public_host_is_followed_and_pinned_again() -> None:
    dns = StubDns({"audio.example": [PUBLIC], "cdn.example": ["2606:4700:4700::1111"]})
    network = redirecting("https://cdn.example/b.wav")
    assert await fetcher(dns, network).fetch("https://audio.example/a.wav", 1000) == b"RIFF-audio"
    assert [(r.url.host, r.headers["host"]) for r in network.requests] == [
        (PUBLIC, "audio.example"), ("2606:4700:4700::1111", "cdn.example")]


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/", "http://[::1", "https://example.com:0/a.wav",
                                 "https://example.com:port/a.wav", "not a url", "https:///a.wav"])
async def test_a_malformed_url_is_invalid_input_on_the_field(url: str) -> None:
    dns, network = StubDns({}), RecordingNetwork()
    with pytest.raises(InvalidInput) as refused:
        await fetcher(dns, network).fetch(url, 1000)
    assert refused.value.field == "audio.url" and refused.value.message.startswith("audio.url ")
    assert dns.lookups == [] and network.requests == []


async def test_a_name_that_does_not_resolve_is_unreachable_and_worth_retrying() -> None:
    with pytest.raises(AudioRejected) as refused:
        await fetcher(StubDns({}), RecordingNetwork()).fetch("https://gone.example/a.wav", 1000)
    assert (refused.value.code, refused.value.retryable) == ("unreachable", True)


async def test_environment_proxies_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy would make the connection somewhere the guard never checked."""
    monkeypatch.setenv("HTTPS_PROXY", "http://10.9.9.9:3128")
    network = RecordingNetwork()
    await fetcher(StubDns({"audio.example": [PUBLIC]}), network).fetch("https://audio.example/a.wav", 1000)
    assert [r.url.host for r in network.requests] == [PUBLIC]


def sender(dns: StubDns, network: RecordingNetwork, require_https: bool = True) -> StandardWebhookSender:
    guard = OutboundGuard(OutboundPolicy(require_https=require_https), dns, lambda: network.transport)
    return StandardWebhookSender(SECRET, 5, guard)


@pytest.mark.parametrize("address", ["100.64.0.1", "fec0::1", "2002:a9fe:a9fe::1", "127.0.0.1", "ff02::1"])
async def test_a_webhook_to_a_special_address_is_refused_before_any_request(address: str) -> None:
    dns, network = StubDns({"hooks.example": [address]}), RecordingNetwork(lambda _: httpx.Response(204))
    with pytest.raises(WebhookRefused):
        await sender(dns, network).deliver("https://hooks.example/englivo", "msg_1", "job.succeeded", {})
    with pytest.raises(WebhookRefused):
        await sender(dns, network).deliver(f"https://{literal(address)}/englivo", "msg_1", "job.succeeded", {})
    assert network.requests == []


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/", "http://[::1"])
async def test_a_malformed_webhook_url_is_refused(url: str) -> None:
    network = RecordingNetwork()
    with pytest.raises(WebhookRefused):
        await sender(StubDns({}), network, require_https=False).deliver(url, "msg_1", "job.succeeded", {})
    assert network.requests == []


async def test_a_webhook_is_pinned_and_an_unresolvable_host_is_retried_later() -> None:
    dns, network = StubDns({"hooks.example": [[PUBLIC], ["10.0.0.1"]]}), RecordingNetwork(lambda _: httpx.Response(204))
    await sender(dns, network).deliver("https://hooks.example/englivo", "msg_1", "job.succeeded", {"job": {}})
    [sent] = network.requests
    assert (sent.url.host, sent.headers["host"], sent.extensions["sni_hostname"]) == (
        PUBLIC, "hooks.example", "hooks.example")
    with pytest.raises(TransientJobError):
        await sender(dns, network).deliver("https://gone.example/englivo", "msg_1", "job.succeeded", {})

