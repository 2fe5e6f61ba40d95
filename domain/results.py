"""A stored result of one analysis, kept per learner and session for progress over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any


class ResultKind(str, Enum):
    TEXT_ANALYSIS = "text_analysis"
    PRONUNCIATION = "pronunciation"
    TRANSCRIPTION = "transcription"


@dataclass(frozen=True)
class StoredResult:
    id: str
    user_id: str
    kind: ResultKind
    created_at: datetime
    engine_version: str
    payload: dict[str, Any]
    session_id: str | None = None
    score: float | None = None
    input_hash: str | None = None
