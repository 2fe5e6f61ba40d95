"""What the entry points may call: the use cases, built by the container."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from application.ports.rate_limit import RateLimiter
from application.use_cases.jobs import GetJob, ListJobs, WatchJob
from application.use_cases.pronunciation import AssessPronunciation
from application.use_cases.readiness import CheckReadiness


@dataclass(frozen=True)
class Services:
    check_readiness: CheckReadiness
    get_job: GetJob
    list_jobs: ListJobs
    watch_job: WatchJob
    rate_limiter: RateLimiter
    assess_pronunciation: AssessPronunciation
    service_info: dict[str, Any]
