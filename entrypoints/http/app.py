"""`create_app(settings)`: builds the whole service; importing this module builds nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Route, WebSocketRoute

from adapters.observability.logging import configure_logging
from adapters.observability.sentry import init_sentry
from adapters.persistence.migrate import upgrade
from entrypoints.container import Container, build_container, close_container, warm_up_models
from entrypoints.graphql.schema import build_schema
from entrypoints.graphql.view import EngineGraphQL
from entrypoints.http.dashboard_routes import dashboard_routes
from entrypoints.http.health import health_routes
from entrypoints.http.middleware import ApiKeyMiddleware, BodyLimitMiddleware, RequestContextMiddleware
from entrypoints.service_info import engine_version
from entrypoints.settings import Settings, load_settings

log = structlog.get_logger(__name__)
PUBLIC_PATHS = ("/health", "/health/ready", "/metrics")
KNOWN_ROUTES = frozenset({*PUBLIC_PATHS, "/graphql"})


def route_label(path: str) -> str:
    """Metric label: known routes by name, everything else pooled so labels stay bounded."""
    return path if path in KNOWN_ROUTES else "other"


def create_app(settings: Settings, container: Container | None = None) -> Starlette:
    container = container or build_container(settings)
    configure_logging(settings.observability.log_level, json=settings.log_json)
    dsn = settings.observability.sentry_dsn
    init_sentry(dsn.get_secret_value() if dsn else None, settings.environment.value, engine_version(),
                settings.observability.sentry_traces_sample_rate)

    metrics = container.metrics()
    services = container.services()
    graphql = EngineGraphQL(
        build_schema(settings, metrics),
        services,
        container.keyring(),
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        multipart_uploads_enabled=True,
        allowed_origins=settings.security.cors_origins,
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if settings.auto_migrate:
            await asyncio.to_thread(upgrade, settings.database.url, settings.database.db_schema)
        if settings.inference.load_models == "startup" and settings.features.pronunciation:
            await asyncio.to_thread(container.pronunciation_assessor().load)
        if settings.inference.load_models == "startup" and settings.features.analysis:
            await asyncio.to_thread(warm_up_models, container)
        transcription = container.transcription()
        if transcription is not None and settings.inference.load_models == "startup":
            await asyncio.to_thread(transcription.warm_up)
        maintenance = asyncio.create_task(job_maintenance(container, settings))
        log.info("engine_started", version=engine_version(), environment=settings.environment.value,
                 database=container.database().dialect, redis=bool(settings.redis.url),
                 jobs="celery" if settings.uses_celery else "in-process")
        try:
            yield
        finally:
            maintenance.cancel()
            await asyncio.gather(maintenance, return_exceptions=True)
            await close_container(container)
            log.info("engine_stopped")

    public_paths: list[str] = list(PUBLIC_PATHS)
    routes = [
        *health_routes(container.check_readiness(), metrics, engine_version(),
                       settings.observability.metrics_enabled),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
    ]
    if settings.dashboard_enabled:
        dashboard, dashboard_paths = dashboard_routes()
        routes += dashboard
        public_paths += dashboard_paths
    middleware = [
        Middleware(RequestContextMiddleware, metrics=metrics, route_of=route_label),
        Middleware(CORSMiddleware, allow_origins=settings.security.cors_origins,
                   allow_methods=["GET", "POST", "OPTIONS"],
                   allow_headers=["content-type", "x-api-key", "x-request-id"], expose_headers=["x-request-id"]),
        Middleware(GZipMiddleware, minimum_size=1024),
        Middleware(ApiKeyMiddleware, keyring=container.keyring(), rate_limiter=container.rate_limiter(),
                   public_paths=public_paths, public_html_paths=("/graphql",) if settings.graphiql_enabled else ()),
        Middleware(BodyLimitMiddleware, max_bytes=int(settings.graphql.max_json_body_mb * 1_000_000)),
    ]
    app = Starlette(debug=settings.debug, routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.container = container
    return app


async def job_maintenance(container: Container, settings: Settings) -> None:
    """Re-queues jobs a restart or a lost message left behind and purges expired ones, now and then
    periodically. In-process, every queued job belongs to this process, so all are queued at start-up."""
    at_startup = not settings.uses_celery
    while True:
        try:
            await container.recover_jobs().execute(at_startup=at_startup)
        except Exception:  # a database blip must not end the loop
            log.exception("job_maintenance_failed")
        at_startup = False
        await asyncio.sleep(settings.jobs.maintenance_interval_seconds)


def app_from_environment() -> Starlette:
    """For `uvicorn --factory` and multi-worker serving: settings from ENGLIVO_* and `.env`."""
    return create_app(load_settings())
