"""A batch: many items (texts, recordings) run as one job. Each item keeps its own status, result or error;
a failed item does not fail the batch. The summary counts outcomes and averages a few headline scores."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from enum import Enum
from typing import Any

from domain.jobs import JobError


class ItemStatus(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


@dataclass(frozen=True)
class BatchItem:
    index: int
    kind: str
    status: ItemStatus = ItemStatus.QUEUED
    result: dict[str, Any] | None = None
    error: JobError | None = None
    attempts: int = 0
    """Runs started; a transient failure is tried again, up to the job's retry limit."""

    def started(self) -> BatchItem:
        return replace(self, status=ItemStatus.RUNNING, attempts=self.attempts + 1)

    def waiting(self, error: JobError) -> BatchItem:
        """Queued for another try; `error` says why the last one failed."""
        return replace(self, status=ItemStatus.QUEUED, result=None, error=error)

    def succeeded(self, result: dict[str, Any]) -> BatchItem:
        return replace(self, status=ItemStatus.SUCCEEDED, result=result, error=None)

    def failed(self, error: JobError) -> BatchItem:
        return replace(self, status=ItemStatus.FAILED, result=None, error=error)


@dataclass(frozen=True)
class ItemFacts:
    """The few numbers of one succeeded item that the summary uses (None where the kind has no such number)."""

    cefr_score: float | None = None
    error_count: int | None = None
    words: int | None = None
    pronunciation: float | None = None


@dataclass(frozen=True)
class BatchSummary:
    total: int
    succeeded: int
    failed: int
    texts_analysed: int
    mean_cefr_score: float | None
    errors_found: int
    errors_per_100_words: float | None
    recordings_assessed: int
    mean_pronunciation: float | None


def summarize(items: Sequence[BatchItem], facts: Sequence[ItemFacts]) -> BatchSummary:
    """`facts` holds one entry per succeeded item."""
    cefr = [f.cefr_score for f in facts if f.cefr_score is not None]
    texts = [f for f in facts if f.error_count is not None]
    errors = sum(f.error_count or 0 for f in texts)
    words = sum(f.words or 0 for f in texts)
    pronunciation = [f.pronunciation for f in facts if f.pronunciation is not None]
    return BatchSummary(
        total=len(items),
        succeeded=sum(1 for i in items if i.status is ItemStatus.SUCCEEDED),
        failed=sum(1 for i in items if i.status is ItemStatus.FAILED),
        texts_analysed=len(texts),
        mean_cefr_score=_mean(cefr),
        errors_found=errors,
        errors_per_100_words=round(100 * errors / words, 2) if words else None,
        recordings_assessed=len(pronunciation),
        mean_pronunciation=_mean(pronunciation),
    )


def progress_of(items: Sequence[BatchItem]) -> float:
    done = sum(1 for i in items if i.status in (ItemStatus.SUCCEEDED, ItemStatus.FAILED))
    return done / len(items) if items else 1.0


def batch_to_dict(
    items: Sequence[BatchItem], summary: BatchSummary | None, with_results: bool = True
) -> dict[str, Any]:
    """`with_results=False` gives the light form shown while the batch runs: statuses and errors only.
    The results are the items' own dicts, not copies: `asdict` deep-copied every result on each progress
    report (about once a second), which cost a 100-text batch more CPU than one text's analysis."""
    return {
        "items": [{"index": i.index, "kind": i.kind, "status": i.status.value,
                   "result": i.result if with_results else None,
                   "error": asdict(i.error) if i.error is not None else None, "attempts": i.attempts}
                  for i in items],
        "summary": asdict(summary) if summary is not None else None,
    }


def batch_from_dict(data: dict[str, Any]) -> tuple[list[BatchItem], BatchSummary | None]:
    items = [
        BatchItem(index=i["index"], kind=i["kind"], status=ItemStatus(i["status"]), result=i.get("result"),
                  error=JobError(**i["error"]) if i.get("error") else None, attempts=i.get("attempts", 0))
        for i in data["items"]
    ]
    summary = BatchSummary(**data["summary"]) if data.get("summary") else None
    return items, summary


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None
