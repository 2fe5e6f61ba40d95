"""Stand-ins for DNS and the network, so the outbound guard is tested without traffic leaving the machine:
a resolver with fixed answers, and an httpx.MockTransport that records what would have been sent."""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence

import httpx


class StubDns:
    """Fixed answers per name; a list of answer lists is served in turn (the last one repeats), like a name
    whose records change between two lookups. An unknown name does not resolve."""

    def __init__(self, answers: dict[str, Sequence[str] | Sequence[Sequence[str]]]) -> None:
        self._answers = answers
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        answer = self._answers.get(host)
        if answer is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if answer and not isinstance(answer[0], str):
            turns = [list(a) for a in answer]
            return turns[min(self.lookups.count(host), len(turns)) - 1]
        return [str(a) for a in answer]


class RecordingNetwork:
    """What reaches the network: each request the guard let through, answered by `respond`."""

    def __init__(self, respond: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self._respond = respond or (lambda _: httpx.Response(200, content=b"RIFF-audio"))
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self._respond(request)
