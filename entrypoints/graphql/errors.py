"""Expected failures as GraphQL types (union members the client switches on by `__typename`), and the
one mapping from domain errors to them."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from domain import errors as domain


@strawberry.interface(name="UserError", description="An expected failure: a stable code, a message, the field.")
class UserErrorType:
    code: str
    message: str
    field: str | None


@strawberry.type(name="InvalidInput")
class InvalidInputType(UserErrorType):
    pass


@strawberry.type(name="AudioRejected")
class AudioRejectedType(UserErrorType):
    limit: str | None = strawberry.field(description="The limit the audio broke, e.g. '25 MB'.")


@strawberry.type(name="RateLimited")
class RateLimitedType(UserErrorType):
    retry_after_seconds: int
    items_that_fit: int | None = strawberry.field(
        default=None, description="For a refused batch: how many of its items the learner's limit takes now.")


@strawberry.type(name="ProviderUnavailable")
class ProviderUnavailableType(UserErrorType):
    provider: str


@strawberry.type(name="NotFound")
class NotFoundType(UserErrorType):
    pass


@strawberry.type(name="Conflict")
class ConflictType(UserErrorType):
    pass


ERROR_TYPES: tuple[type, ...] = (
    InvalidInputType, AudioRejectedType, RateLimitedType, ProviderUnavailableType, NotFoundType, ConflictType,
)


def to_graphql_type(error: domain.UserError) -> UserErrorType:
    """The union member for a domain error; every UserError subclass has one."""
    code, message, field = error.code, error.message, error.field
    if isinstance(error, domain.AudioRejected):
        return AudioRejectedType(code=code, message=message, field=field, limit=error.limit)
    if isinstance(error, domain.RateLimited):
        return RateLimitedType(code=code, message=message, field=field,
                               retry_after_seconds=error.retry_after_seconds, items_that_fit=error.items_that_fit)
    if isinstance(error, domain.ProviderUnavailable):
        return ProviderUnavailableType(code=code, message=message, field=field, provider=error.provider)
    if isinstance(error, domain.NotFound):
        return NotFoundType(code=code, message=message, field=field)
    if isinstance(error, domain.Conflict):
        return ConflictType(code=code, message=message, field=field)
    return InvalidInputType(code=code, message=message, field=field)


def error_extensions(error: domain.UserError) -> dict[str, object]:
    """For fields that cannot return a union (queries, subscriptions): the same facts in `extensions`."""
    member = to_graphql_type(error)
    extensions: dict[str, object] = {
        "code": error.code.upper(), "typename": type(member).__strawberry_definition__.name,  # type: ignore[attr-defined]
        "field": error.field,
    }
    if isinstance(error, domain.RateLimited):
        extensions["retryAfterSeconds"] = error.retry_after_seconds
    if isinstance(error, domain.AudioRejected):
        extensions["limit"] = error.limit
    if isinstance(error, domain.ProviderUnavailable):
        extensions["provider"] = error.provider
    return extensions


def graphql_error(error: domain.UserError, template: GraphQLError | None = None) -> GraphQLError:
    return GraphQLError(
        error.message,
        nodes=template.nodes if template else None,
        source=template.source if template else None,
        positions=template.positions if template else None,
        path=template.path if template else None,
        extensions=error_extensions(error),
    )
