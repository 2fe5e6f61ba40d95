"""GraphQL types every capability shares."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.file_uploads import Upload

from domain.cefr.scale import CefrLevel

CefrLevelEnum = strawberry.enum(CefrLevel, name="CefrLevel")


@strawberry.input(name="LearnerContext", description="Who the work is for; results are stored per user and session.")
class LearnerContextInput:
    user_id: strawberry.ID
    session_id: strawberry.ID | None = None
    task_id: strawberry.ID | None = None
    native_language: str | None = strawberry.field(
        default=None, description="The learner's first language (ISO 639-1, e.g. 'zh'); tailors explanations."
    )


@strawberry.type(name="EngineInfo", description="Which engine, model and version produced a result.")
class EngineInfoType:
    capability: str
    engine: str
    model: str
    version: str


@strawberry.enum(name="TextKind", description="Written text, or a transcript of speech.")
class TextKindType(Enum):
    WRITTEN = "written"
    SPOKEN = "spoken"


@strawberry.input(name="AudioInput", description="Exactly one of a URL or an uploaded file (multipart).")
class AudioInput:
    url: str | None = None
    file: Upload | None = None


def _uploaded_file(value: Any) -> Any:
    """Only a file part of a multipart request (the view puts it into the variables) is an Upload; a string or a
    number in its place is refused while the request is validated, not deep inside a resolver."""
    if not callable(getattr(value, "read", None)):
        # a GraphQLError (not a ValueError) is what graphql-core reports as the client's own mistake
        raise GraphQLError("Upload takes a file sent as a part of a GraphQL multipart request, not a JSON value")
    return value


UPLOAD_SCALAR: dict[object, Any] = {Upload: strawberry.scalar(name="Upload", description="Represents a file upload.",
                                           serialize=lambda value: value, parse_value=_uploaded_file)}
