"""`englivo assess AUDIO --text "..."`: a pronunciation assessment of a local file, printed as JSON, made by
the use case the API runs (built by the container from the same settings), with nothing stored."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import click
from dependency_injector import providers

from application.pronunciation_codec import assessment_to_json
from application.use_cases.pronunciation import AssessPronunciationCommand
from domain.errors import UserError
from domain.pronunciation.assessment import PronunciationAssessment
from entrypoints.settings import load_settings


async def _assess(command: AssessPronunciationCommand) -> PronunciationAssessment:
    from entrypoints.container import build_container, close_container

    container = build_container(load_settings())
    container.uow.override(providers.Object(None))  # a command-line check is not a learner's result
    try:
        return await container.assess_pronunciation().execute(command)
    finally:
        await close_container(container)


@click.command("assess")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--text", default=None, help="The text the speaker read. Left out: unscripted, assessed against "
                                           "the recogniser's transcript of the recording.")
@click.option("--language", default="en-US", show_default=True)
def assess_file(path: Path, text: str | None, language: str) -> None:
    """Assess the pronunciation in a local audio file and print the assessment as JSON."""
    command = AssessPronunciationCommand(audio=path.read_bytes(), user_id="", reference_text=text, language=language)
    try:
        assessment = asyncio.run(_assess(command))
    except UserError as error:
        click.echo(json.dumps({"error": error.code, "type": type(error).__name__, "message": error.message,
                                "field": error.field}))
        sys.exit(2)
    click.echo(json.dumps(assessment_to_json(assessment), indent=2, ensure_ascii=False))


COMMANDS = {"top": [assess_file]}
