"""`englivo seed-demo`: a learner history for demos and the dashboard test, produced by the real engines on
real learners' data: Write & Improve essays, ordered by their CEFR level, through AnalyzeText, and
speechocean762 readings, ordered by their human scores, through AssessPronunciation. Without `--data` it
uses the small samples committed in tests/data/corpora (essays and readings then repeat in a long plan). Each session is
recorded at its own time over the past months: the container's clock is replaced by one the seeding sets,
so the use cases store exactly what they would store for a live request at that time."""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from dependency_injector import providers

from application.ports.clock import SettableClock
from application.use_cases.analyze_text import AnalyzeTextCommand
from application.use_cases.pronunciation import AssessPronunciationCommand
from domain.errors import UserError
from entrypoints.settings import Settings, SettingsError, load_settings

# The small samples committed with the tests (scripts/build_test_corpora.py): a demo needs no download.
SAMPLE_DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "corpora"
# The sublevels a learner plausibly climbs through in a few months of practice, lowest first.
LADDER = ("A1.ii", "A2.i", "A2.ii", "B1.i", "B1.ii", "B2.i")
ESSAY_CHARACTERS = (300, 1_200)  # short essays keep the seeding fast
READING_QUANTILES = (0.15, 0.95)  # of the human total score: from a weak reading to a very good one


@dataclass(frozen=True)
class Reading:
    audio: Path
    text: str


@dataclass(frozen=True)
class DemoSession:
    session_id: str
    at: datetime
    essay: str
    readings: tuple[Reading, ...]


@dataclass(frozen=True)
class SeedSummary:
    user: str
    sessions: int
    text_analyses: int
    pronunciation_assessments: int
    transcriptions: int
    refused: int
    first_at: datetime | None
    last_at: datetime | None


def plan_sessions(data: Path, sessions: int, end: datetime, days: int, readings_per_session: int) -> list[DemoSession]:
    """`sessions` sessions spread over the `days` before `end`, each with one essay and its readings."""
    if sessions < 1:
        raise click.BadParameter("must be at least 1", param_hint="--sessions")
    essays = list(_essays(data / "cefr" / "write_and_improve", sessions))
    readings = _readings(data / "speechocean762" / "train", sessions * readings_per_session)
    rng = random.Random(sessions)
    step = timedelta(days=days) / sessions
    start = end - timedelta(days=days)
    planned: list[DemoSession] = []
    for i in range(sessions):
        day = start + step * (i + rng.uniform(0.0, 0.6))  # irregular, as practice is
        at = min(end, day.replace(hour=rng.randint(16, 20), minute=rng.randrange(0, 60, 5), second=0,
                                  microsecond=0))  # after work
        if planned and at <= planned[-1].at:  # many sessions in few days: still one after the other
            at = planned[-1].at + timedelta(minutes=30)
        planned.append(DemoSession(
            session_id=f"demo-{i + 1:03d}", at=at, essay=essays[i],
            readings=tuple(readings[i * readings_per_session:(i + 1) * readings_per_session]),
        ))
    overrun = max(timedelta(0), planned[-1].at - end)  # pushed past the end: move the whole plan back
    return [replace(session, at=session.at - overrun) for session in planned]


def _essays(folder: Path, count: int) -> Iterator[str]:
    """One essay per session, the sublevel rising along LADDER as the sessions go on."""
    by_level: dict[str, list[dict[str, Any]]] = {level: [] for level in LADDER}
    for name in ("A.train.json", "B.train.json"):
        for line in _lines(folder / name):
            essay = json.loads(line)
            low, high = ESSAY_CHARACTERS
            if essay["cefr"] in by_level and low <= len(essay["text"]) <= high:
                by_level[essay["cefr"]].append(essay)
    for candidates in by_level.values():
        candidates.sort(key=lambda e: str(e["id"]))
    used: dict[str, int] = {level: 0 for level in LADDER}
    for i in range(count):
        level = LADDER[i * len(LADDER) // count]
        yield by_level[level][used[level] % len(by_level[level])]["text"]
        used[level] += 1


def _readings(folder: Path, count: int) -> list[Reading]:
    """Adult readings of at least four words, evenly spread over the human score range, weakest first."""
    rows = [json.loads(line) for line in _lines(folder / "labels.jsonl")]
    adults = sorted((r for r in rows if r["speaker_age"] >= 18 and len(r["words"]) >= 4),
                    key=lambda r: (r["total"], r["utt"]))
    if count == 0:
        return []
    low, high = (int(q * (len(adults) - 1)) for q in READING_QUANTILES)
    picks = [low + round(j * (high - low) / max(1, count - 1)) for j in range(count)]
    return [Reading(folder / adults[p]["audio"], adults[p]["text"]) for p in picks]


def _lines(path: Path) -> list[str]:
    if not path.is_file():
        raise click.ClickException(
            f"{path} is missing: pass --data, a folder with cefr/write_and_improve/{{A,B}}.train.json and "
            "speechocean762/train/labels.jsonl (see the README, 'Data for training and evaluation')")
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def seed(settings: Settings, user: str, plan: list[DemoSession], transcribe: bool = False) -> SeedSummary:
    """Runs the plan through the real use cases of a container built from `settings`."""
    from entrypoints.container import build_container, close_container

    container = build_container(settings)
    clock = SettableClock(datetime.now(UTC))
    container.clock.override(providers.Object(clock))
    counts = {"text": 0, "pronunciation": 0, "transcription": 0, "refused": 0}
    try:
        analyze, assess = container.analyze_text(), container.assess_pronunciation()
        transcription = container.transcription() if transcribe else None
        for number, session in enumerate(plan, start=1):
            clock.at = session.at
            await _refusable(counts, "text", analyze.execute(AnalyzeTextCommand(
                text=session.essay, user_id=user, session_id=session.session_id)))
            for minute, reading in enumerate(session.readings, start=1):
                clock.at = session.at + timedelta(minutes=5 * minute)
                audio = reading.audio.read_bytes()
                await _refusable(counts, "pronunciation", assess.execute(AssessPronunciationCommand(
                    audio=audio, user_id=user, reference_text=reading.text, session_id=session.session_id)))
                if transcription is not None:
                    from application.use_cases.transcribe import TranscribeCommand

                    await _refusable(counts, "transcription", transcription.transcribe.execute(TranscribeCommand(
                        audio=audio, user_id=user, session_id=session.session_id)))
            click.echo(f"session {number}/{len(plan)} {session.session_id} at {session.at:%Y-%m-%d %H:%M}", err=True)
    finally:
        container.clock.reset_override()
        await close_container(container)
    return SeedSummary(
        user=user, sessions=len(plan), text_analyses=counts["text"],
        pronunciation_assessments=counts["pronunciation"], transcriptions=counts["transcription"],
        refused=counts["refused"], first_at=plan[0].at if plan else None, last_at=plan[-1].at if plan else None,
    )


async def _refusable(counts: dict[str, int], kind: str, run: Any) -> None:
    """A refused input (a reading too short, say) is counted and skipped; engine faults still stop the seeding."""
    try:
        await run
        counts[kind] += 1
    except UserError as error:
        counts["refused"] += 1
        click.echo(f"refused ({kind}): {error}", err=True)


@click.command("seed-demo")
@click.option("--user", default="demo-learner", show_default=True, help="The learner's userId.")
@click.option("--sessions", type=click.IntRange(1), default=30, show_default=True, help="Sessions to create.")
@click.option("--days", type=click.IntRange(1), default=120, show_default=True,
              help="Spread the sessions over this many past days.")
@click.option("--readings", type=click.IntRange(0), default=2, show_default=True,
              help="speechocean762 readings per session.")
@click.option("--url", default=None, help="Database URL (default: ENGLIVO_DATABASE__URL); migrated first.")
@click.option("--data", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="A folder with cefr/write_and_improve/{A,B}.train.json (Write & Improve 2.1, BEA-2019) and "
                   "speechocean762/train/labels.jsonl (speechocean762, OpenSLR 101); see the README, 'Data for "
                   "training and evaluation'. Default: the small sample committed in tests/data/corpora.")
@click.option("--transcribe", is_flag=True, help="Also transcribe each reading (speech metrics).")
def seed_demo(user: str, sessions: int, days: int, readings: int, url: str | None, data: Path | None,
              transcribe: bool) -> None:
    """Creates a learner history with the real engines; prints a JSON summary as the last line."""
    from adapters.observability.logging import configure_logging
    from adapters.persistence.migrate import upgrade

    try:
        settings = load_settings(**({"database": {"url": url}} if url else {}))
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None
    configure_logging("WARNING", json=False)  # per-request info lines would drown the progress lines
    plan = plan_sessions(data or SAMPLE_DATA, sessions, datetime.now(UTC), days, readings)
    upgrade(settings.database.url, settings.database.db_schema)
    started = time.perf_counter()
    summary = asyncio.run(seed(settings, user, plan, transcribe))
    sys.stdout.write(json.dumps({
        **{k: v for k, v in summary.__dict__.items() if not k.endswith("_at")},
        "first_at": summary.first_at.isoformat() if summary.first_at else None,
        "last_at": summary.last_at.isoformat() if summary.last_at else None,
        "seconds": round(time.perf_counter() - started, 1),
    }) + "\n")


COMMANDS = {
    "top": [seed_demo],
}
