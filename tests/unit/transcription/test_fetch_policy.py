import pytest

from adapters.audio.fetcher import FetchPolicy, HttpAudioFetcher
from adapters.security.urls import host_allowed, is_public_address
from domain.errors import AudioRejected


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "ff0e::1",
        "100.64.0.1",
        "100.100.100.200",
        "192.0.0.9",
        "198.18.0.1",
        "fec0::1",
        "2002:a9fe:a9fe::1",
        "64:ff9b::a9fe:a9fe",
        "not an address",
    ],
)
def test_private_loopback_link_local_and_special_addresses_are_not_public(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2002:808:808::1", "64:ff9b::808:808"]
)
def test_public_addresses(address: str) -> None:
    assert is_public_address(address)


def test_allow_list_takes_hosts_and_their_subdomains() -> None:
    assert host_allowed("anything.org", [])
    assert host_allowed("cdn.example.com", ["example.com"])
    assert host_allowed("EXAMPLE.com.", ["example.com"])
    assert not host_allowed("badexample.com", ["example.com"])


@pytest.mark.parametrize(
    ("url", "policy"),
    [
        ("http://example.com/a.wav", FetchPolicy()),
        ("ftp://example.com/a.wav", FetchPolicy(require_https=False)),
        ("https://other.org/a.wav", FetchPolicy(allowed_hosts=("example.com",))),
        ("https://localhost/a.wav", FetchPolicy()),
        ("https://127.0.0.1/a.wav", FetchPolicy()),
    ],
)
async def test_refused_before_any_request(url: str, policy: FetchPolicy) -> None:
    with pytest.raises(AudioRejected) as caught:
        await HttpAudioFetcher(policy).fetch(url, 1000)
    assert caught.value.code == "host_not_allowed"
