from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from application.caching import cache_key, cached
from application.ports.cache import Cache
from application.ports.cefr import CefrModel
from domain.cefr.assessment import CefrAssessment, TextKind, assessment_from_dict
from domain.errors import InvalidInput

MAX_TEXT_CHARS = 20_000
"""About 3,500 words: more than any learner task; the model reads the first 350 words anyway."""
CACHE_PREFIX = "cefr"


@dataclass(frozen=True)
class AssessCefrCommand:
    text: str
    kind: TextKind = TextKind.WRITTEN


def validate(command: AssessCefrCommand) -> str:
    text = command.text.strip()
    if not text:
        raise InvalidInput("text is empty", field="text")
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(f"text is longer than {MAX_TEXT_CHARS} characters", field="text", code="too_long")
    if not any(ch.isalpha() for ch in text):
        raise InvalidInput("text has no words", field="text")
    return text


class AssessCefr:
    def __init__(self, model: CefrModel, cache: Cache, ttl_seconds: int | None = 3_600) -> None:
        self._model = model
        self._cache = cache
        self._ttl = ttl_seconds

    async def execute(self, command: AssessCefrCommand) -> CefrAssessment:
        text = validate(command)
        key = cache_key(CACHE_PREFIX, self._model.version, {"text": text, "kind": command.kind.value})
        return await cached(
            self._cache, key, self._ttl, lambda: self._model.assess(text, command.kind), encode, decode
        )


def encode(assessment: CefrAssessment) -> bytes:
    return json.dumps(asdict(assessment), default=str).encode()


def decode(raw: bytes) -> CefrAssessment:
    return assessment_from_dict(json.loads(raw))


class CefrForAnalysis:
    """Fills text analysis's CefrAssessor port with this use case (kind arrives as 'written'/'spoken')."""

    def __init__(self, assess: AssessCefr) -> None:
        self._assess = assess

    async def assess(self, text: str, kind: str) -> CefrAssessment:
        return await self._assess.execute(AssessCefrCommand(text, TextKind(kind.upper())))
