"""Transcript <-> JSON bytes, for the cache. A shape change makes old entries fail to decode: a miss."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from domain.engines import EngineInfo
from domain.transcription.metrics import Pause, SpeechMetrics
from domain.transcription.result import Transcript
from domain.transcription.transcript import Segment, Word

FORMAT = 1


def transcript_to_dict(transcript: Transcript) -> dict[str, Any]:
    return asdict(transcript)


def encode_transcript(transcript: Transcript) -> bytes:
    return json.dumps({"format": FORMAT, **transcript_to_dict(transcript)}, separators=(",", ":")).encode()


def decode_transcript(raw: bytes) -> Transcript:
    data = json.loads(raw)
    if data.pop("format", None) != FORMAT:
        raise ValueError("cached transcript in an older format")
    return transcript_from_dict(data)


def transcript_from_dict(data: dict[str, Any]) -> Transcript:
    metrics = dict(data["metrics"])
    metrics["pauses"] = tuple(Pause(**p) for p in metrics["pauses"])
    return Transcript(
        text=data["text"],
        language=data["language"],
        duration=data["duration"],
        words=tuple(Word(**w) for w in data["words"]),
        segments=tuple(Segment(**s) for s in data["segments"]),
        speakers=tuple(data["speakers"]),
        metrics=SpeechMetrics(**metrics),
        engine=EngineInfo(**data["engine"]),
        processing_time=data["processing_time"],
        warnings=tuple(data.get("warnings", ())),  # stored before transcripts had warnings: none
    )
