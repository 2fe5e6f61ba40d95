from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

from adapters.security.api_keys import ApiKeyRing
from entrypoints.graphql.context import Caller, EngineContext
from entrypoints.services import Services

WS_KEY_PARAMS = ("apiKey", "X-API-Key", "x-api-key")


class EngineGraphQL(GraphQL[EngineContext, None]):
    def __init__(self, schema: Any, services: Services, keyring: ApiKeyRing, **options: Any) -> None:
        super().__init__(schema, **options)
        self.services = services
        self.keyring = keyring

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
