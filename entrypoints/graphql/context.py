from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info

from domain.errors import InvalidInput, RateLimited
from domain.identifiers import check_id
from entrypoints.services import Services


@dataclass
class Caller:
    api_key_id: str | None
    request_id: str | None = None


@dataclass
class EngineContext:
    """Built per request (and per websocket connection) by the view; resolvers read everything from it."""

    services: Services
    caller: Caller
    request: Any = None
    response: Any = None
    connection_params: dict[str, object] | None = field(default=None)
    loaders: dict[str, Any] = field(default_factory=dict)  # per-request DataLoaders, by name

    async def check_user_rate(
        self, user_id: str, field_name: str = "userId", items: int = 1
    ) -> RateLimited | InvalidInput | None:
        """The per-learner limit; the per-key limit is applied before GraphQL, to every call. `items`: a batch's
        items for this learner, each counted as a call (all of them, or none when they do not all fit). Every
        resolver that takes a userId passes here first, so an id too long to store or key a limit on is refused
        here too."""
        try:
            check_id(user_id, field_name)
        except InvalidInput as refusal:
            return refusal
        decision = await self.services.rate_limiter.hit("user", user_id, cost=items)
        if decision.allowed:
            return None
        retry = decision.retry_after_seconds
        if items == 1:
            return RateLimited(f"too many requests for this user; retry in {retry} s", retry_after_seconds=retry,
                               field=field_name)
        fit = decision.available or 0
        return RateLimited(
            f"the batch has {items} items for user {user_id!r} and only {fit} fit within this user's rate limit "
            f"now; send at most {fit}, or retry in {retry} s", retry_after_seconds=retry, field=field_name,
            items_that_fit=fit,
        )


EngineInfo = Info[EngineContext, None]
