"""CLI commands of the transcription capability. The main CLI registers these click commands:
`englivo evaluate transcription`, `englivo bench transcription`, `englivo transcribe`, ...

Progress goes to stderr; the last stdout line of each evaluation is one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
import numpy as np

from application.ports.speech import DecodedAudio, RecognitionOptions
from application.transcription_evaluation import boundary_differences, separation, word_error_rate, words_heard_right
from application.use_cases.transcribe import TranscribeCommand
from domain.errors import UserError
from domain.transcription.der import diarization_error
from domain.transcription.transcript import SpeakerTurn, Word
from entrypoints.settings import load_settings
from entrypoints.transcription_wiring import TranscriptionComponents, build_transcription

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "tests/data/transcription.jsonl"
engine_option = click.option(
    "--engine", type=click.Choice(["moonshine", "whisper", "azure", "local"]), default=None, help="Recogniser.")
model_option = click.option("--model", default=None, help="Whisper: tiny.en, base or a CTranslate2 model folder.")


def _components(engine: str | None, model: str | None) -> TranscriptionComponents:
    return build_transcription(load_settings(), engine=engine, model=model)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for row in rows:
        audio = Path(row["audio"])
        row["path"] = audio if audio.is_absolute() else path.parent / audio
    return rows


def _emit(summary: dict[str, Any]) -> None:
    click.echo(json.dumps(summary))


@click.command("transcription")
@click.option("--data", "data", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help='JSON lines {"audio", "text"}, e.g. tests/data/transcription.jsonl or a set built by '
                   "scripts/build_transcription_data.py (README, 'Data for training and evaluation').")
@click.option("--verbatim/--no-verbatim", default=True, show_default=True, help="Keep fillers (the API default).")
@engine_option
@model_option
def evaluate_transcription(data: Path, verbatim: bool, engine: str | None, model: str | None) -> None:
    """WER of an engine on a JSONL of {"audio": path, "text": reference} (normalised: see
    application/transcription_evaluation.py)."""
    asyncio.run(_evaluate(data, verbatim, engine, model))


async def _evaluate(data: Path, verbatim: bool, engine: str | None, model: str | None) -> None:
    from adapters.pronunciation.sphinx import SphinxModels

    components = _components(engine, model)
    components.warm_up()
    rows = _read_jsonl(data)
    aligner = SphinxModels(1)
    references, hypotheses, audio_seconds = [], [], 0.0
    differences: list[float] = []
    words = untimed = empty = 0
    confidences: dict[bool, list[float]] = {True: [], False: []}
    started = time.perf_counter()
    for index, row in enumerate(rows, 1):
        item_started = time.perf_counter()
        command = TranscribeCommand(audio=row["path"].read_bytes(), verbatim=verbatim)
        transcript = await components.transcribe.execute(command)
        references.append(row["text"])
        hypotheses.append(transcript.text)
        audio_seconds += transcript.duration
        differences += _timing_differences(aligner, row, transcript.words)
        words += len(transcript.words)
        untimed += sum(1 for w in transcript.words if not w.start < w.end)
        empty += not transcript.words
        for word, right in zip(transcript.words, words_heard_right(row["text"], [w.text for w in transcript.words]),
                               strict=True):
            confidences[right].append(word.confidence)
        item_wer = word_error_rate([row["text"]], [transcript.text])
        click.echo(
            f"[{index}/{len(rows)}] {row['path'].name} wer={item_wer:.3f} "
            f"{time.perf_counter() - item_started:.2f}s | {transcript.text}",
            err=True,
        )
    wall = time.perf_counter() - started
    engine_info = components.recognizer.engine
    _emit(
        {
            "n": len(rows),
            "wer": round(word_error_rate(references, hypotheses), 4),
            "audio_seconds": round(audio_seconds, 2),
            "wall_seconds": round(wall, 2),
            "rtf": round(wall / audio_seconds, 4) if audio_seconds else None,
            "engine": engine_info.engine,
            "model": engine_info.model,
            "verbatim": verbatim,
            "words": words,
            "untimed_words": untimed,
            "empty_transcripts": empty,
            "timing_error_seconds": round(statistics.mean(differences), 4) if differences else None,
            "timed_boundaries_compared": len(differences),
            "confidence_auc": _rounded(separation(confidences[True], confidences[False])),
            "mean_confidence_right_wrong": [_rounded(statistics.mean(c) if c else None) for c in
                                            (confidences[True], confidences[False])],
        }
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _timing_differences(aligner: Any, row: dict[str, Any], words: Sequence[Word]) -> list[float]:
    """Boundary differences between the transcript's words and a PocketSphinx forced alignment of the
    reference text (the words both contain; nothing when the reference cannot be aligned)."""
    from adapters.audio.decoder import decode_bytes
    from adapters.speech.alignment import forced_times

    audio = decode_bytes(row["path"].read_bytes(), load_settings().audio.formats)
    reference = row["text"].split()
    times = forced_times(aligner, audio.mono, reference)
    if times is None:
        return []
    timed = [(w, t[0], t[1]) for w, t in zip(reference, times, strict=True) if t is not None]
    return boundary_differences(timed, [(w.text, w.start, w.end) for w in words])


def _speech_of(seconds: float, rows: list[dict[str, Any]], components: TranscriptionComponents) -> DecodedAudio:
    """`seconds` of real speech: the files of `rows` one after another (cycling), 0.3 s apart."""
    from adapters.audio.decoder import decode_bytes

    settings = load_settings()
    pieces: list[np.ndarray[Any, Any]] = []
    total, index, gap = 0, 0, np.zeros(int(0.3 * 16_000), dtype=np.float32)
    while total < seconds * 16_000:
        audio = decode_bytes(rows[index % len(rows)]["path"].read_bytes(), settings.audio.formats)
        pieces += [audio.mono, gap]
        total += audio.mono.shape[0] + gap.shape[0]
        index += 1
    return DecodedAudio(np.concatenate(pieces)[None, : int(seconds * 16_000)], 16_000)


@click.command("transcription")
@click.option("--data", "data", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEFAULT_DATA)
@click.option("--seconds", default=60.0, show_default=True, help="Length of speech to transcribe.")
@click.option("--runs", default=5, show_default=True, help="Timed runs after one warm-up run.")
@click.option("--verbatim/--no-verbatim", default=True, show_default=True)
@click.option("--engine", "engines", multiple=True, type=click.Choice(["moonshine", "whisper", "azure", "local"]),
              help="Recogniser; repeat it to compare several on the same audio in one run.")
@model_option
def bench_transcription(
    data: Path, seconds: float, runs: int, verbatim: bool, engines: tuple[str, ...], model: str | None
) -> None:
    """Warm latency of recognition with word timings on `seconds` of real speech built from --data; one JSON
    line per engine, in the order given."""
    for engine in engines or (None,):
        asyncio.run(_bench(data, seconds, runs, verbatim, engine, model if engine != "moonshine" else None))


async def _bench(data: Path, seconds: float, runs: int, verbatim: bool, engine: str | None, model: str | None) -> None:
    components = _components(engine, model)
    components.warm_up()
    audio = _speech_of(seconds, _read_jsonl(data), components)
    options = RecognitionOptions(language="en", verbatim=verbatim)
    recognition = await components.recognizer.recognize(audio, options)  # warm-up
    timings = []
    for run in range(1, runs + 1):
        started = time.perf_counter()
        recognition = await components.recognizer.recognize(audio, options)
        timings.append(time.perf_counter() - started)
        click.echo(f"run {run}: {timings[-1]:.2f}s, {len(recognition.words)} words", err=True)
    median = statistics.median(timings)
    _emit(
        {
            "audio_seconds": round(audio.duration, 2),
            "runs": runs,
            "median_seconds": round(median, 3),
            "min_seconds": round(min(timings), 3),
            "max_seconds": round(max(timings), 3),
            "rtf": round(median / audio.duration, 4),
            "words": len(recognition.words),
            "timed_words": sum(1 for w in recognition.words if w.end > w.start),
            "engine": components.recognizer.engine.engine,
            "model": components.recognizer.engine.model,
            "threads": load_settings().inference.threads,
        }
    )


@click.command("transcribe")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--language", default="en-US", show_default=True)
@click.option("--diarize", is_flag=True, help="Name the speakers.")
@click.option("--max-speakers", type=int, default=None)
@click.option("--verbatim/--no-verbatim", default=True, show_default=True)
@engine_option
@model_option
def transcribe_file(
    path: Path,
    language: str,
    diarize: bool,
    max_speakers: int | None,
    verbatim: bool,
    engine: str | None,
    model: str | None,
) -> None:
    """Transcribe a local audio file and print the transcript as JSON."""
    command = TranscribeCommand(
        audio=path.read_bytes(),
        language=language,
        diarize=diarize,
        max_speakers=max_speakers,
        verbatim=verbatim,
    )
    try:
        transcript = asyncio.run(_components(engine, model).transcribe.execute(command))
    except UserError as error:
        click.echo(json.dumps({"error": error.code, "message": error.message, "field": error.field}))
        sys.exit(2)
    click.echo(json.dumps(asdict(transcript), indent=2))


@click.command("diarization")
@click.option("--data", "data", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="JSON lines of multi-speaker files with their turns, e.g. built by "
                   "scripts/build_transcription_data.py --der (README, 'Data for training and evaluation').")
@click.option("--collar", default=0.25, show_default=True, help="Seconds around reference boundaries not scored.")
@click.option("--max-speakers", type=int, default=None, help="Tell the diarizer how many speakers at most.")
def evaluate_diarization(data: Path, collar: float, max_speakers: int | None) -> None:
    """DER of the local diarizer on a JSONL of {"audio": path, "turns": [{speaker, start, end}]}."""
    asyncio.run(_evaluate_diarization(data, collar, max_speakers))


async def _evaluate_diarization(data: Path, collar: float, max_speakers: int | None) -> None:
    from adapters.audio.decoder import decode_bytes
    from adapters.speech.diarization import LocalDiarizer
    from adapters.speech.voice_encoder import VoiceEncoder

    settings = load_settings()
    diarizer = LocalDiarizer(VoiceEncoder(threads=settings.inference.threads), _components(None, None).runner)
    totals = {"reference": 0.0, "missed": 0.0, "false_alarm": 0.0, "confusion": 0.0}
    counted, started, rows = [], time.perf_counter(), _read_jsonl(data)
    for index, row in enumerate(rows, 1):
        audio = decode_bytes(row["path"].read_bytes(), settings.audio.formats)
        hypothesis = await diarizer.diarize(audio, max_speakers)
        reference = [SpeakerTurn(str(t["speaker"]), float(t["start"]), float(t["end"])) for t in row["turns"]]
        error = diarization_error(reference, hypothesis, collar)
        totals["reference"] += error.reference_seconds
        totals["missed"] += error.missed
        totals["false_alarm"] += error.false_alarm
        totals["confusion"] += error.confusion
        counted.append(len({t.speaker for t in hypothesis}) == len({t.speaker for t in reference}))
        click.echo(f"[{index}/{len(rows)}] {row['path'].name} der={error.rate:.3f}", err=True)
    reference_seconds = totals.pop("reference")
    _emit(
        {
            "n": len(rows),
            "der": round(sum(totals.values()) / reference_seconds, 4) if reference_seconds else None,
            **{k: round(v / reference_seconds, 4) for k, v in totals.items()},
            "speaker_count_correct": round(sum(counted) / len(counted), 3) if counted else None,
            "collar": collar,
            "wall_seconds": round(time.perf_counter() - started, 2),
        }
    )


COMMANDS = {
    "evaluate": [evaluate_transcription, evaluate_diarization],
    "bench": [bench_transcription],
    "top": [transcribe_file],
}
