"""Probe endpoints outside GraphQL: liveness, readiness per component, Prometheus metrics."""

from __future__ import annotations

import structlog
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.observability.metrics import Metrics
from application.use_cases.readiness import CheckReadiness, CheckReadinessCommand
from domain.health import ComponentHealth, ComponentState, Readiness

log = structlog.get_logger(__name__)
PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class ReadinessTransitions:
    """Logs a component once when it goes down and once when it comes back, however often probes run."""

    def __init__(self) -> None:
        self._last: dict[str, ComponentState] = {}

    def observe(self, readiness: Readiness) -> None:
        for component in readiness.components:
            before = self._last.get(component.name)
            now = component.state
            self._last[component.name] = now
            if now is ComponentState.DOWN and before is not ComponentState.DOWN:
                log.warning("component_down", component=component.name, detail=component.detail)
            elif before is ComponentState.DOWN and now is not ComponentState.DOWN:
                log.info("component_recovered", component=component.name)


def _component_json(c: ComponentHealth) -> dict[str, object]:
    return {"name": c.name, "kind": c.kind, "status": c.state.value, "required": c.required,
            "latencyMs": c.latency_ms, "detail": c.detail}


def health_routes(
    check_readiness: CheckReadiness, metrics: Metrics, version: str, metrics_enabled: bool,
    probe_timeout_seconds: float = 2.0,
) -> list[Route]:
    transitions = ReadinessTransitions()

    async def live(_: Request) -> Response:
        return JSONResponse({"status": "ok", "version": version})

    async def ready(_: Request) -> Response:
        readiness = await check_readiness.execute(CheckReadinessCommand(timeout_seconds=probe_timeout_seconds))
        transitions.observe(readiness)
        body = {
            "status": "ready" if readiness.ready else "not_ready",
            "components": [_component_json(c) for c in readiness.components],
        }
        return JSONResponse(body, status_code=200 if readiness.ready else 503)

    async def prometheus(_: Request) -> Response:
        if not metrics_enabled:
            return Response(status_code=404)
        return Response(metrics.exposition(), media_type=PROMETHEUS_CONTENT_TYPE)

    return [
        Route("/health", live, methods=["GET"]),
        Route("/health/ready", ready, methods=["GET"]),
        Route("/metrics", prometheus, methods=["GET"]),
    ]
