from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import strawberry
import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from adapters.observability.metrics import Metrics
from domain.errors import UserError
from entrypoints.graphql.errors import graphql_error

log = structlog.get_logger(__name__)
MASKED_MESSAGE = "Unexpected error. Quote the errorId when you report it."


class EngineSchema(strawberry.Schema):
    """Strawberry logs every error of every result at error level with its traceback, a client's own mistakes
    (an unknown job, a bad cursor) included. `ErrorPolicy` logs instead (`process_errors` does nothing): the
    client's errors once at info, the engine's faults at error with an error id."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        return None

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """One answer per request, so never a subscription (those run over the websocket): strawberry would run
        its source generator as a plain field and fail with an internal error; refused, it is a 400."""
        allowed = kwargs.get("allowed_operation_types") or (OperationType.QUERY, OperationType.MUTATION)
        kwargs["allowed_operation_types"] = {kind for kind in allowed if kind is not OperationType.SUBSCRIPTION}
        return await super().execute(*args, **kwargs)


class ErrorPolicy(SchemaExtension):
    """Expected (domain) errors keep their message, gain a typed `extensions.code` and are logged at info;
    unexpected ones are logged with an error id and masked, so no stack trace or internal detail reaches the
    client."""

    def on_operation(self) -> Iterator[None]:
        yield
        self._apply(self.execution_context.result)

    def on_stream_result(self, result: Any) -> Iterator[None]:
        """Subscriptions: each streamed result passes here before it reaches the client."""
        self._apply(result)
        yield

    def _apply(self, result: Any) -> None:
        # Idempotent: processed errors no longer carry an original error, so a second pass keeps them.
        if result is not None and getattr(result, "errors", None):
            result.errors = [self._process(e) for e in result.errors]

    @staticmethod
    def _process(error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            return error  # syntax, validation and limiter errors: the client's own query
        if isinstance(original, UserError):
            log.info("graphql_user_error", code=original.code, field=original.field, path=error.path)
            return graphql_error(original, error)
        error_id = uuid.uuid4().hex
        log.error("graphql_unexpected_error", error_id=error_id, path=error.path, exc_info=original)
        return GraphQLError(
            MASKED_MESSAGE, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path,
            extensions={"code": "INTERNAL", "errorId": error_id},
        )


def operation_metrics(metrics: Metrics) -> type[SchemaExtension]:
    class OperationMetrics(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            yield
            ctx = self.execution_context
            try:
                kind = ctx.operation_type.value
            except (RuntimeError, AttributeError):  # the document did not parse
                kind = "unknown"
            result = ctx.result
            outcome = "error" if result is not None and getattr(result, "errors", None) else "ok"
            metrics.count_graphql_operation(kind, ctx.operation_name, outcome)

    return OperationMetrics
