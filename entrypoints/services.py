"""What the entry points may call: the use cases, built by the container."""

from __future__ import annotations

from dataclasses import dataclass

from application.ports.blobs import BlobStore
from application.ports.rate_limit import RateLimiter
from application.use_cases.analyze_text import AnalyzeText
from application.use_cases.assess_cefr import AssessCefr
from application.use_cases.job_submission import CancelJob, SubmitJob
from application.use_cases.jobs import GetJob, ListJobs, WatchJob
from application.use_cases.progress import AnalyzeSessions, GetProgress, RecordProgress, SessionReport
from application.use_cases.progress_history import (
    CountErrors,
    CountNewLemmas,
    ListProgressResults,
    ListSessions,
)
from application.use_cases.pronunciation import AssessPronunciation
from application.use_cases.readiness import CheckReadiness
from application.use_cases.transcribe import Transcribe
from entrypoints.service_info import ServiceInfo


@dataclass(frozen=True)
class Services:
    check_readiness: CheckReadiness
    get_job: GetJob
    list_jobs: ListJobs
    submit_job: SubmitJob
    cancel_job: CancelJob
    analyze_text: AnalyzeText
    watch_job: WatchJob
    rate_limiter: RateLimiter
    get_progress: GetProgress
    session_report: SessionReport
    analyze_sessions: AnalyzeSessions
    record_progress: RecordProgress
    list_progress_results: ListProgressResults
    list_sessions: ListSessions
    count_errors: CountErrors
    count_new_lemmas: CountNewLemmas
    assess_pronunciation: AssessPronunciation
    service_info: ServiceInfo
    blobs: BlobStore | None = None
    transcribe: Transcribe | None = None  # None while the feature is switched off
    transcribe_max_bytes: int = 25_000_000
    assess_cefr: AssessCefr | None = None  # None while the feature is switched off
    batch_max_items: int = 500
