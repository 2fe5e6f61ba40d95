from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import structlog
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from adapters.observability.metrics import Metrics
from domain.errors import UserError
from entrypoints.graphql.errors import graphql_error

log = structlog.get_logger(__name__)
MASKED_MESSAGE = "Unexpected error. Quote the errorId when you report it."


class ErrorPolicy(SchemaExtension):
    """Expected (domain) errors keep their message and gain a typed `extensions.code`; unexpected ones are
    logged with an error id and masked, so no stack trace or internal detail reaches the client."""

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
            metrics.graphql_operations.labels(kind, ctx.operation_name or "anonymous", outcome).inc()

    return OperationMetrics
