"""A learner's transcription is stored with its speech metrics recorded for progress (real Whisper, real
SQLite and PostgreSQL); without a learner nothing is stored."""

from __future__ import annotations

import pytest

from adapters.persistence.database import Database
from adapters.persistence.unit_of_work import unit_of_work_factory
from application.ports.clock import SystemClock
from application.use_cases.progress import GetProgress, ProgressQuery
from application.use_cases.transcribe import TranscribeCommand
from domain.cefr.scale import CefrThresholds
from domain.results import ResultKind
from tests.support.transcription import DATA, TranscribeFactory

pytestmark = pytest.mark.integration


async def test_a_learners_transcription_feeds_the_fluency_trend(
    database: Database, make_transcribe: TranscribeFactory
) -> None:
    uow = unit_of_work_factory(database)
    transcribe = make_transcribe(uow=uow, clock=SystemClock())
    audio = (DATA / "024020047.flac").read_bytes()
    transcript = await transcribe.execute(TranscribeCommand(audio=audio, user_id="ana", session_id="call-1"))
    await transcribe.execute(TranscribeCommand(audio=audio))  # no learner: not stored

    async with uow() as unit:
        [stored] = await unit.results.list_for_user("ana", kind=ResultKind.TRANSCRIPTION)
    assert stored.session_id == "call-1" and stored.payload["text"] == transcript.text
    progress = await GetProgress(uow, CefrThresholds()).execute(ProgressQuery("ana"))
    assert progress.sessions == 1
    [rate] = [s for s in progress.series if s.name == "words_per_minute"]
    assert rate.points[0].value == pytest.approx(transcript.metrics.words_per_minute)
    assert rate.scale is not None and rate.scale.startswith("moonshine:")


async def test_a_conversation_is_stored_but_its_mixed_metrics_are_not_recorded(
    database: Database, make_transcribe: TranscribeFactory
) -> None:
    uow = unit_of_work_factory(database)
    transcribe = make_transcribe(uow=uow, clock=SystemClock())
    audio = (DATA / "stereo_two_speakers.flac").read_bytes()
    transcript = await transcribe.execute(TranscribeCommand(audio=audio, diarize=True, user_id="bo"))
    assert transcript.speakers == ("S1", "S2")
    async with uow() as unit:
        assert len(await unit.results.list_for_user("bo", kind=ResultKind.TRANSCRIPTION)) == 1
    progress = await GetProgress(uow, CefrThresholds()).execute(ProgressQuery("bo"))
    assert progress.sessions == 0 and progress.series == ()
