"""The GraphQL endpoint: strawberry's ASGI view with our context, websocket authentication, and every refusal
in GraphQL's error shape (strawberry answers a bad body with a text/plain line, or a 500 for a body that is not
UTF-8 or nests too deeply)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ConnectionInitMessage

from adapters.security.api_keys import ApiKeyRing
from entrypoints.graphql.context import Caller, EngineContext
from entrypoints.http.middleware import graphql_error_body
from entrypoints.services import Services

WS_KEY_PARAMS = ("apiKey", "X-API-Key", "x-api-key")
HTTP_ERROR_CODES = {400: "INVALID_INPUT", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "TOO_LARGE",
                    415: "UNSUPPORTED_MEDIA_TYPE"}


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not a JSON value")


class LegacyGraphQLWSHandler(BaseGraphQLWSHandler[EngineContext, None]):
    """The legacy graphql-ws subprotocol. A refused connection closes with 4403, as graphql-transport-ws does;
    strawberry closes it with 1011 (an internal server error) after the connection_error message."""

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        payload = message.get("payload")
        if payload is not None and not isinstance(payload, dict):
            await self.send_message({"type": "connection_error"})
            await self.websocket.close(code=1000, reason="")
            return
        self.context.connection_params = payload
        try:
            await self.view.on_ws_connect(self.context)  # ours acknowledges without a payload
        except ConnectionRejectionError as error:
            await self.send_message({"type": "connection_error", "payload": error.payload})
            await self.websocket.close(code=4403, reason="Forbidden")
            return
        await self.send_message({"type": "connection_ack"})
        self.connection_acknowledged = True
        if self.keep_alive:
            self.keep_alive_task = asyncio.create_task(self.handle_keep_alive())


class EngineGraphQL(GraphQL[EngineContext, None]):
    graphql_ws_handler_class = LegacyGraphQLWSHandler

    def __init__(self, schema: Any, services: Services, keyring: ApiKeyRing, **options: Any) -> None:
        super().__init__(schema, **options)
        self.services = services
        self.keyring = keyring

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as refusal:
            code = HTTP_ERROR_CODES.get(refusal.status_code, "BAD_REQUEST")
            extensions = {"field": "body", "typename": "InvalidInput"} if refusal.status_code == 400 else {}
            body = graphql_error_body(refusal.reason, code, **extensions)
            response = Response(body, status_code=refusal.status_code, media_type="application/json")
        await response(scope, receive, send)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Any:
        """Strawberry reads the body's parts assuming the shape is right; when it is not (a JSON body that is not
        an object, a multipart `map` that is not an object of lists of paths into `operations`), its lookups
        fail with these errors, which are the client's mistake."""
        try:
            return await super().parse_http_body(request)
        except (AttributeError, IndexError, KeyError, TypeError) as error:
            raise HTTPException(400, "The body is not a GraphQL request: a JSON object with a `query`, or a "
                                     "GraphQL multipart request with `operations` and `map`.") from error

    def parse_json(self, data: str | bytes) -> Any:
        """Any body that is not JSON in UTF-8 is the client's mistake: strawberry only catches JSONDecodeError, so
        a non-UTF-8 byte (UnicodeDecodeError) or deep nesting (RecursionError) became a 500."""
        try:
            return json.loads(data.decode("utf-8") if isinstance(data, bytes) else data, parse_constant=_not_json)
        except RecursionError:
            raise HTTPException(400, "The request nests JSON too deeply.") from None
        except ValueError as error:  # JSONDecodeError, UnicodeDecodeError
            raise HTTPException(400, f"The request is not JSON in UTF-8: {error}.") from None

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> EngineContext:
        state = request.scope.get("state", {})
        caller = Caller(api_key_id=state.get("api_key_id"), request_id=state.get("request_id"))
        return EngineContext(services=self.services, caller=caller, request=request, response=response)

    async def on_ws_connect(self, context: EngineContext) -> dict[str, object] | None:
        if context.caller.api_key_id is None:
            params = context.connection_params or {}
            presented = next((params[k] for k in WS_KEY_PARAMS if isinstance(params.get(k), str)), None)
            context.caller.api_key_id = self.keyring.identify(presented)  # type: ignore[arg-type]
        if context.caller.api_key_id is None:
            raise ConnectionRejectionError(
                {"code": "UNAUTHENTICATED", "message": "send a valid API key as connection_init payload.apiKey"}
            )
        decision = await self.services.rate_limiter.hit("api_key", context.caller.api_key_id)
        if not decision.allowed:
            raise ConnectionRejectionError(
                {"code": "RATE_LIMITED", "retryAfterSeconds": decision.retry_after_seconds}
            )
        return None
