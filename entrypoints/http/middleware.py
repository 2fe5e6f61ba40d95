"""Pure ASGI middleware: request ids and access logs, API keys and per-key rate limits."""

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
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                seconds = time.perf_counter() - started
                self.metrics.requests.labels(route, method, str(status)).inc()
                self.metrics.request_seconds.labels(route, method).observe(seconds)
                if not route.startswith(("/health", "/metrics")):
                    log.info("request", method=method, route=route, status=status,
                             duration_ms=round(seconds * 1000, 1))


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
        headers = Headers(scope=scope)
        key_id = self.keyring.identify(headers.get(API_KEY_HEADER))
        scope.setdefault("state", {})["api_key_id"] = key_id
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        if key_id is None:
            reason = "missing" if API_KEY_HEADER not in headers else "not valid"
            body = graphql_error_body(
                f"API key {reason}: send a valid key in the X-API-Key header",
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
