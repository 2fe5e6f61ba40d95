"""Builds the transcription test clips in tests/data/ and, on request, larger evaluation sets in var/.

    python scripts/build_transcription_data.py                 # tests/data (committed)
    python scripts/build_transcription_data.py --eval 100      # var/eval/speechocean762-100.jsonl
    python scripts/build_transcription_data.py --check 100     # var/eval/speechocean762-check-100.jsonl
    python scripts/build_transcription_data.py --der 20        # var/diarization/ mono two-speaker set

Source: speechocean762 (free for commercial and non-commercial use), read from
$SPEECHOCEAN762, or speechocean762/train in $ENGLIVO_PUBLIC_DATA (default ../shared/data).
Deterministic: same input, same files.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PUBLIC_DATA = Path(os.environ.get("ENGLIVO_PUBLIC_DATA", ROOT.parent / "shared" / "data"))
SOURCE = Path(os.environ.get("SPEECHOCEAN762", PUBLIC_DATA / "speechocean762" / "train"))
DATA = ROOT / "tests/data"
RATE = 16_000
# adult speakers, clear readings (total score >= 8.5), different speakers and sexes
CLIPS = {"000360013": "f", "004820005": "m", "010120148": "m", "024020047": "f"}
GAP = 0.6


def labels() -> dict[str, dict[str, object]]:
    with (SOURCE / "labels.jsonl").open() as lines:
        return {row["utt"]: row for row in map(json.loads, lines)}


def read(utt: str) -> np.ndarray:
    with av.open(str(SOURCE / f"{utt}.flac")) as container:
        resampler = av.AudioResampler(format="fltp", layout="mono", rate=RATE)
        frames = [f.to_ndarray()[0] for frame in container.decode(audio=0) for f in resampler.resample(frame)]
    return np.concatenate(frames).astype(np.float32)


def write(path: Path, channels: np.ndarray, codec: str, fmt: str, bit_rate: int | None = None) -> None:
    """channels: (n, samples) float32."""
    layout = "stereo" if channels.shape[0] == 2 else "mono"
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=fmt) as out:
        rate = 48_000 if codec == "libopus" else RATE
        stream = out.add_stream(codec, rate=rate, layout=layout)
        if bit_rate:
            stream.bit_rate = bit_rate
        pcm = (np.clip(channels, -1, 1) * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(pcm.T.reshape(1, -1).copy(), format="s16", layout=layout)
        frame.sample_rate = RATE
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=rate)
        for resampled in resampler.resample(frame) + resampler.resample(None):
            out.mux(stream.encode(resampled))
        out.mux(stream.encode(None))
    path.write_bytes(buffer.getvalue())


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), dtype=np.float32)


def build_tests() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    rows = labels()
    for utt in CLIPS:
        shutil.copyfile(SOURCE / f"{utt}.flac", DATA / f"{utt}.flac")
    with (DATA / "transcription.jsonl").open("w") as out:
        for utt in CLIPS:
            out.write(json.dumps({"audio": f"{utt}.flac", "text": rows[utt]["text"]}) + "\n")

    # one speaker per channel: 1012 (m) on the left, then 2402 (f) on the right
    left, right = read("010120148"), read("024020047")
    total = len(left) + int(GAP * RATE) + len(right)
    stereo = np.zeros((2, total), dtype=np.float32)
    stereo[0, : len(left)] = left
    stereo[1, total - len(right) :] = right
    write(DATA / "stereo_two_speakers.flac", stereo, "flac", "flac")
    # mono: 0482 (m) then 0036 (f)
    first, second = read("004820005"), read("000360013")
    write(
        DATA / "mono_two_speakers.flac", np.concatenate([first, silence(GAP), second])[None], "flac", "flac"
    )
    turns = {
        "stereo_two_speakers.flac": [
            ["left", rows["010120148"]["text"]],
            ["right", rows["024020047"]["text"]],
        ],
        "mono_two_speakers.flac": [["A", rows["004820005"]["text"]], ["B", rows["000360013"]["text"]]],
    }
    (DATA / "two_speakers.json").write_text(json.dumps(turns, indent=1) + "\n")

    # the same short reading in every accepted container
    clip = read("024020047")[None]
    for name, codec, fmt, rate in [
        ("clip.wav", "pcm_s16le", "wav", None),
        ("clip.mp3", "libmp3lame", "mp3", 32_000),
        ("clip.m4a", "aac", "ipod", 32_000),
        ("clip.ogg", "libopus", "ogg", 24_000),
        ("clip.webm", "libopus", "webm", 24_000),
    ]:
        write(DATA / name, clip, codec, fmt, rate)

    # no speech: digital silence with a -70 dBFS noise floor, and white noise at -20 dBFS
    rng = np.random.default_rng(762)
    floor = (rng.standard_normal(3 * RATE) * 10 ** (-70 / 20)).astype(np.float32)
    write(DATA / "silence.ogg", floor[None], "libopus", "ogg", 24_000)
    noise = (rng.standard_normal(3 * RATE) * 10 ** (-20 / 20)).astype(np.float32)
    write(DATA / "noise.ogg", noise[None], "libopus", "ogg", 48_000)


FILLER_SENTENCE = "Um, I think, uh, that the, er, the answer is, hmm, seven."
NUMBERS_SENTENCE = "My sister is 12 years old and she has 3 cats."


def build_fillers() -> None:
    """A spoken sentence full of fillers: shows whether `verbatim` keeps them (no corpus has learner audio
    with marked fillers)."""
    synthesise("fillers.ogg", FILLER_SENTENCE)


def build_numbers() -> None:
    """A spoken sentence with numbers, which Whisper writes as digits unless told to spell them out."""
    synthesise("numbers.ogg", NUMBERS_SENTENCE)


def synthesise(name: str, sentence: str) -> None:
    """Speech synthesised by espeak-ng; skipped where espeak-ng is not installed."""
    import subprocess
    import tempfile

    espeak = shutil.which("espeak-ng")
    if espeak is None:
        print(f"espeak-ng not installed: {name} left as it is")
        return
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run([espeak, "-v", "en-us", "-s", "140", "-w", str(wav), sentence], check=True)  # noqa: S603
        with av.open(str(wav)) as container:
            resampler = av.AudioResampler(format="fltp", layout="mono", rate=RATE)
            frames = [f.to_ndarray()[0] for fr in container.decode(audio=0) for f in resampler.resample(fr)]
    write(DATA / name, np.concatenate(frames)[None], "libopus", "ogg", 32_000)


def eligible(rows: dict[str, dict[str, object]]) -> list[dict[str, object]]:
    return [r for r in rows.values() if int(r["speaker_age"]) >= 18 and r["utt"] not in CLIPS]  # type: ignore[call-overload]


def eval_sample(n: int) -> list[dict[str, object]]:
    """The `--eval N` utterances: a fixed random sample of the eligible ones."""
    return random.Random(3).sample(sorted(eligible(labels()), key=lambda r: str(r["utt"])), n)


def write_set(rows: list[dict[str, object]], name: str) -> None:
    target = ROOT / f"var/eval/{name}.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w") as out:
        for r in rows:
            out.write(json.dumps({"audio": str(SOURCE / str(r["audio"])), "text": r["text"]}) + "\n")
    print(target)


def build_eval(n: int) -> None:
    write_set(eval_sample(n), f"speechocean762-{n}")


def build_check(n: int, held: int = 100) -> None:
    """N utterances from adult speakers none of whom is in the `build_eval(held)` set: a second set to see
    whether a change tuned on the first one carries over to other learners."""
    eval_speakers = {str(r["speaker"]) for r in eval_sample(held)}
    others = [r for r in eligible(labels()) if str(r["speaker"]) not in eval_speakers]
    write_set(random.Random(21).sample(sorted(others, key=lambda r: str(r["utt"])), n), f"speechocean762-check-{n}")


def speech_span(audio: np.ndarray) -> tuple[float, float]:
    """Seconds from the first to the last voiced sample (Silero VAD): the reference turn of an utterance."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    chunks = get_speech_timestamps(audio, VadOptions(speech_pad_ms=0))
    if not chunks:
        return 0.0, len(audio) / RATE
    return chunks[0]["start"] / RATE, chunks[-1]["end"] / RATE


def build_der(n: int) -> None:
    """Mono files of two different speakers taking turns (A B A B), with reference turns in a jsonl."""
    by_speaker: dict[str, list[str]] = {}
    for r in eligible(labels()):
        by_speaker.setdefault(str(r["speaker"]), []).append(str(r["utt"]))
    speakers = sorted(s for s, utts in by_speaker.items() if len(utts) >= 2)
    pick = random.Random(762)
    folder = ROOT / "var/diarization"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "set.jsonl").open("w") as index:
        for i in range(n):
            a, b = pick.sample(speakers, 2)
            utts = [
                (a, by_speaker[a][0]),
                (b, by_speaker[b][0]),
                (a, by_speaker[a][1]),
                (b, by_speaker[b][1]),
            ]
            pieces, turns, t = [], [], 0.0
            for speaker, utt in utts:
                audio = read(utt)
                first, last = speech_span(audio)
                turns.append({"speaker": speaker, "start": round(t + first, 3), "end": round(t + last, 3)})
                pieces += [audio, silence(GAP)]
                t += len(audio) / RATE + GAP
            name = f"mono_{i:03d}.flac"
            write(folder / name, np.concatenate(pieces)[None], "flac", "flac")
            index.write(json.dumps({"audio": name, "turns": turns}) + "\n")
    print(folder / "set.jsonl")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--eval", type=int, help="also write a jsonl of N held-apart utterances")
    parser.add_argument("--check", type=int, help="also write N utterances of speakers not in --eval 100")
    parser.add_argument("--der", type=int, help="also build N mono two-speaker files for DER")
    args = parser.parse_args()
    build_tests()
    build_fillers()
    build_numbers()
    if args.eval:
        build_eval(args.eval)
    if args.check:
        build_check(args.check)
    if args.der:
        build_der(args.der)
