"""Pure ASGI middleware: request ids and access logs, API keys and per-key rate limits, the body size cap."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Collection

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.observability.metrics import Metrics
from adapters.security.api_keys import ApiKeyRing
from application.ports.rate_limit import RateLimiter

log = structlog.get_logger(__name__)
REQUEST_ID_HEADER = "x-request-id"
API_KEY_HEADER = "x-api-key"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id_from(headers: Headers) -> str:
    """The caller's id when it is a sane token (it ends up in logs), else a fresh one."""
    given = headers.get(REQUEST_ID_HEADER, "")
    return given if _SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex


class RequestContextMiddleware:
    """Binds the request id to every log line of the request, returns it, logs and counts the request."""

    def __init__(self, app: ASGIApp, metrics: Metrics, route_of: Callable[[str], str]) -> None:
        self.app = app
        self.metrics = metrics
        self.route_of = route_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope))
        scope.setdefault("state", {})["request_id"] = request_id
        route = self.route_of(scope["path"])
        method = scope.get("method", "WS")
        outcome = _Outcome()
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            outcome.sent(message)
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                self.metrics.observe_request(route, method, outcome.status, seconds)
                if not route.startswith(("/health", "/metrics")):
                    extra = {"close_code": outcome.close_code} if outcome.close_code is not None else {}
                    log.info("request", method=method, route=route, status=outcome.status,
                             duration_ms=round(seconds * 1000, 1), **extra)


class _Outcome:
    """What the app answered. A websocket the app accepted is a 101 (Switching Protocols), however it ends
    later (its close code is logged); one closed before it was accepted was refused (403, as the ASGI server
    answers the handshake). Nothing sent at all means the app failed: 500."""

    def __init__(self) -> None:
        self.status = 500
        self.close_code: int | None = None
        self._accepted = False

    def sent(self, message: Message) -> None:
        kind = message["type"]
        if kind in ("http.response.start", "websocket.http.response.start"):
            self.status = message["status"]
        elif kind == "websocket.accept":
            self.status, self._accepted = 101, True
        elif kind == "websocket.close":
            self.close_code = message.get("code", 1000)
            if not self._accepted:
                self.status = 403


def graphql_error_body(message: str, code: str, **extensions: object) -> bytes:
    """Refusals before GraphQL runs still answer in GraphQL's shape, so clients parse them as typed errors."""
    return json.dumps(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    ).encode()


async def send_json(send: Send, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class ApiKeyMiddleware:
    """Every path outside `public_paths` needs a valid X-API-Key; each key has its own rate limit.

    Websockets pass through: the GraphQL view authenticates them from connection_init's payload (browsers
    cannot set headers on a websocket), or from the header when a server-side client sent it."""

    def __init__(
        self,
        app: ASGIApp,
        keyring: ApiKeyRing,
        rate_limiter: RateLimiter,
        public_paths: Collection[str],
        public_html_paths: Collection[str] = (),
    ) -> None:
        self.app = app
        self.keyring = keyring
        self.rate_limiter = rate_limiter
        self.public_paths = frozenset(public_paths)
        self.public_html_paths = frozenset(public_html_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._is_public(scope):
            await self.app(scope, receive, send)
            return
        presented = Headers(scope=scope).getlist(API_KEY_HEADER)
        # Two keys are ambiguous (which one is the caller?), and a proxy that adds its own would win silently.
        key_id = self.keyring.identify(presented[0]) if len(presented) == 1 else None
        scope.setdefault("state", {})["api_key_id"] = key_id
        if scope["type"] == "websocket":
            if len(presented) > 1:
                await send({"type": "websocket.close", "code": 1008, "reason": "send one X-API-Key header"})
                return
            await self.app(scope, receive, send)
            return
        if key_id is None:
            reason = ("API key missing" if not presented else "API key not valid" if len(presented) == 1
                      else f"X-API-Key sent {len(presented)} times")
            body = graphql_error_body(
                f"{reason}: send one valid key in one X-API-Key header",
                "UNAUTHENTICATED", field="X-API-Key", typename="Unauthenticated",
            )
            await send_json(send, 401, body, {"www-authenticate": "ApiKey header=X-API-Key"})
            return
        decision = await self.rate_limiter.hit("api_key", key_id)
        if not decision.allowed:
            retry = decision.retry_after_seconds
            body = graphql_error_body(
                f"rate limit of this API key reached; retry in {retry} s", "RATE_LIMITED",
                typename="RateLimited", retryAfterSeconds=retry, field="X-API-Key",
            )
            await send_json(send, 429, body, {"retry-after": str(retry)})
            return
        await self.app(scope, receive, send)

    def _is_public(self, scope: Scope) -> bool:
        path: str = scope["path"]
        if path in self.public_paths:
            return True
        if scope["type"] == "http" and scope.get("method") == "GET" and path in self.public_html_paths:
            accept = Headers(scope=scope).get("accept", "")
            return "text/html" in accept  # the GraphiQL page itself; its queries carry the key
        return False


class BodyTooLarge(Exception):
    """Raised from `receive` once a body passes the cap; only BodyLimitMiddleware catches it."""


class BodyLimitMiddleware:
    """Caps request bodies while they stream in, so a huge body is never held in memory: a Content-Length over
    the cap is refused before a byte is read, and a body without one (chunked) as soon as the running count
    passes the cap. Multipart uploads pass: their files spool to disk and the audio limits apply to them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        if headers is None or headers.get("content-type", "").startswith("multipart/form-data"):
            await self.app(scope, receive, send)
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if started:  # cannot happen with our views (they read the body first), but one answer at most
                raise
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        limit = f"{self.max_bytes / 1_000_000:g} MB"
        body = graphql_error_body(f"The request body is larger than {limit}.", "TOO_LARGE", field="body", limit=limit)
        await send_json(send, 413, body)
