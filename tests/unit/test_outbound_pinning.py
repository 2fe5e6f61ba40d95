"""The pinned connection over real sockets, on 127.0.0.1 only: a name that the stub DNS maps to loopback (with
private hosts allowed, as in development) is reached at the checked address, with its name kept in the Host
header and, over TLS, in SNI and in the certificate check."""

from __future__ import annotations

import datetime
import http.server
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from adapters.audio.fetcher import FetchPolicy, HttpAudioFetcher
from domain.errors import AudioRejected
from tests.support.outbound import StubDns

NAME = "audio.invalid"  # never resolvable for real (RFC 6761); only the stub knows it
BODY = b"RIFF-loopback-audio"


@dataclass
class Seen:
    hosts: list[str] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)


@contextmanager
def serve(seen: Seen, tls: ssl.SSLContext | None = None) -> Iterator[int]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.hosts.append(self.headers["host"])
            self.send_response(200)
            self.send_header("content-length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

        def log_message(self, *_: Any) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, *_: Any) -> None:  # a refused TLS handshake is the expected outcome of a test
            pass

    server = Server(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


async def test_a_name_is_reached_at_its_checked_address_with_its_host_header() -> None:
    seen, dns = Seen(), StubDns({NAME: ["127.0.0.1"]})
    fetcher = HttpAudioFetcher(FetchPolicy(allow_private_hosts=True, require_https=False), resolve=dns)
    with serve(seen) as port:
        assert await fetcher.fetch(f"http://{NAME}:{port}/a.wav", 1000) == BODY
    assert seen.hosts == [f"{NAME}:{port}"] and dns.lookups == [NAME]


def certificate_authority(server_name: str, folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """(server context with a certificate for `server_name`, client context trusting only its issuer)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "englivo test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(hours=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, server_name)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(server_name)]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (folder / "leaf.pem").write_bytes(leaf.public_bytes(pem))
    (folder / "key.pem").write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(folder / "leaf.pem", folder / "key.pem")
    client = ssl.create_default_context(cadata=ca.public_bytes(pem).decode())
    return server, client


@pytest.mark.parametrize(("certified", "accepted"), [(NAME, True), ("other.invalid", False)])
async def test_tls_names_and_verifies_the_host_while_connecting_to_the_address(
    certified: str, accepted: bool, tmp_path: Path
) -> None:
    """SNI carries the name, and the certificate is checked against the name, not against 127.0.0.1: a
    certificate for another name is refused."""
    server_tls, client_tls = certificate_authority(certified, tmp_path)
    seen = Seen()

    def record_sni(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        seen.server_names.append(name)

    server_tls.sni_callback = record_sni
    fetcher = HttpAudioFetcher(FetchPolicy(allow_private_hosts=True), resolve=StubDns({NAME: ["127.0.0.1"]}),
                               transport=httpx.AsyncHTTPTransport(verify=client_tls))
    with serve(seen, server_tls) as port:
        if accepted:
            assert await fetcher.fetch(f"https://{NAME}:{port}/a.wav", 1000) == BODY
        else:
            with pytest.raises(AudioRejected) as refused:
                await fetcher.fetch(f"https://{NAME}:{port}/a.wav", 1000)
            assert refused.value.code == "unreachable"
    assert seen.server_names == [NAME]
    assert seen.hosts == ([f"{NAME}:{port}"] if accepted else [])
