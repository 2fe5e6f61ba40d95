"""What both providers share: the prompt, the JSON schema of the answer, and its validation."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from application.ports.analysis import LanguageModelError, LlmAnswer, LlmErrorProposal, LlmRequest
from domain.analysis.errors import ErrorType

ERROR_TYPES = [t.value for t in ErrorType if t is not ErrorType.PRONUNCIATION]

INSTRUCTIONS = (
    "You are an English teacher reviewing a learner's {kind} text. List the learner's real errors only "
    "(no style preferences). For each error quote the exact wrong words from the text in `original` "
    "(copied character for character, as short as possible), give the corrected words in `corrected`, "
    "one `type` from the list, and a one-sentence `explanation` in simple English for the learner. "
    "Then write `feedback`: a short encouraging paragraph, plus up to three `strengths` and up to three "
    "`improvement_areas`.{l1}{context}"
)


class ErrorItem(BaseModel):
    original: str = Field(min_length=1, max_length=200)
    corrected: str = Field(max_length=200)
    type: str
    explanation: str = Field(max_length=500)


class ReviewAnswer(BaseModel):
    errors: list[ErrorItem] = Field(max_length=100)
    feedback: str = Field(max_length=2000)
    strengths: list[str] = Field(default_factory=list, max_length=5)
    improvement_areas: list[str] = Field(default_factory=list, max_length=5)


def answer_schema() -> dict[str, Any]:
    """The JSON schema both providers are asked to follow (structured output)."""
    item = {"type": "object", "properties": {
        "original": {"type": "string"}, "corrected": {"type": "string"},
        "type": {"type": "string", "enum": ERROR_TYPES}, "explanation": {"type": "string"}},
        "required": ["original", "corrected", "type", "explanation"], "additionalProperties": False}
    strings = {"type": "array", "items": {"type": "string"}}
    return {"type": "object", "properties": {
        "errors": {"type": "array", "items": item}, "feedback": {"type": "string"},
        "strengths": strings, "improvement_areas": strings},
        "required": ["errors", "feedback", "strengths", "improvement_areas"], "additionalProperties": False}


def prompt(request: LlmRequest) -> tuple[str, str]:
    """(system instructions, user content)."""
    l1 = f" The learner's first language is {request.native_language}." if request.native_language else ""
    context = f" The task was: {request.context}" if request.context else ""
    return INSTRUCTIONS.format(kind=request.kind, l1=l1, context=context), request.text


def parse_answer(raw: str | None, model: str, tokens: dict[str, int]) -> LlmAnswer:
    """Validates the provider's JSON against our model; anything else is a LanguageModelError."""
    if not raw:
        raise LanguageModelError("empty answer")
    try:
        answer = ReviewAnswer.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        raise LanguageModelError(f"malformed answer: {str(exc).splitlines()[0]}") from exc
    errors = tuple(LlmErrorProposal(e.original, e.corrected, e.type, e.explanation) for e in answer.errors
                   if e.type in ERROR_TYPES)
    return LlmAnswer(errors=errors, feedback=answer.feedback or None, strengths=tuple(answer.strengths[:3]),
                     improvement_areas=tuple(answer.improvement_areas[:3]), model=model, tokens=tokens)
