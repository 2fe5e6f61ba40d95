"""`analyzeTextAsync`: a text analysis as a job; its input is the command as JSON."""

from __future__ import annotations

import dataclasses
from typing import Any

from application.ports.jobs import ProgressReport
from application.use_cases.analyze_text import AnalyzeText, AnalyzeTextCommand
from domain.analysis.analysis import TextKind
from domain.errors import InvalidInput

KIND = "text_analysis"


def analysis_payload(command: AnalyzeTextCommand) -> dict[str, Any]:
    return {**dataclasses.asdict(command), "kind": command.kind.value}


def analysis_command(payload: dict[str, Any]) -> AnalyzeTextCommand:
    try:
        return AnalyzeTextCommand(**{**payload, "kind": TextKind(payload.get("kind", "written"))})
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"not a text analysis input: {exc}", field="input") from None


class AnalysisJobHandler:
    kind = KIND

    def __init__(self, analyze: AnalyzeText) -> None:
        self._analyze = analyze

    def validate(self, payload: dict[str, Any]) -> None:
        self._analyze.validate(analysis_command(payload))

    async def run(self, payload: dict[str, Any], report: ProgressReport) -> dict[str, Any]:
        await report(0.05)
        return (await self._analyze.execute(analysis_command(payload))).to_dict()
