from __future__ import annotations

import structlog

log = structlog.get_logger(__name__)


def init_sentry(dsn: str | None, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Starts Sentry only when a DSN is configured; returns whether it did."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.strawberry import StrawberryIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[StrawberryIntegration(async_execution=True)],  # our resolvers are async
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        # Learners' texts and audio never leave with an error report: no bodies, users, SQL values or locals.
        data_collection={
            "user_info": False, "http_bodies": [], "database_query_data": False, "stack_frame_variables": False,
        },
    )
    log.info("sentry_enabled", environment=environment)
    return True
