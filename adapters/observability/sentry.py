from __future__ import annotations

import structlog

log = structlog.get_logger(__name__)


def init_sentry(dsn: str | None, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Starts Sentry only when a DSN is configured; returns whether it did."""
    if not dsn:
        return False
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # learners' texts and audio never leave with an error report
    )
    log.info("sentry_enabled", environment=environment)
    return True
