"""Builds the engine's one inference scheduler from settings (the composition root calls this)."""

from __future__ import annotations

from adapters.inference.scheduler import InferenceScheduler
from entrypoints.settings import Settings


def build_scheduler(settings: Settings) -> InferenceScheduler:
    inference = settings.inference
    return InferenceScheduler(inference.concurrency, inference.timeout_seconds)
