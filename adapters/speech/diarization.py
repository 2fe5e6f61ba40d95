"""Who spoke when, offline.

- Stereo with different channels: one speaker per channel ("S1" left, "S2" right); each channel's
  speech is found with the Silero VAD, so turns follow who is talking on which side.
- Mono (or a stereo file whose channels are copies): Silero VAD finds speech, 1.5 s windows every
  0.75 s are embedded with Resemblyzer's voice encoder (ONNX) and grouped by average-linkage
  agglomerative clustering on cosine similarity; merging stops below `threshold` or when `max_speakers`
  is reached; labels are smoothed by a majority over neighbouring windows, then joined into turns.
Speakers are named S1, S2, ... in the order they first speak.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from adapters.speech.voice_encoder import VoiceEncoder
from adapters.speech.whisper import SAMPLE_RATE, speech_chunks
from application.ports.inference import InferenceRunner
from application.ports.speech import DecodedAudio, Samples
from domain.transcription.transcript import SpeakerTurn

Labels = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ClusteringOptions:
    window_seconds: float = 1.5
    hop_seconds: float = 0.75
    threshold: float = 0.65
    default_max_speakers: int = 6


def channels_differ(channels: Samples) -> bool:
    if channels.shape[0] < 2:
        return False
    return not np.allclose(channels[0], channels[1], atol=1e-3)


def channel_turns(channels: Samples) -> list[SpeakerTurn]:
    turns = [
        SpeakerTurn(f"S{index + 1}", c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE)
        for index in range(min(2, channels.shape[0]))
        for c in speech_chunks(np.ascontiguousarray(channels[index]))
    ]
    return sorted(turns, key=lambda t: t.start)


def windows(chunks: Sequence[dict[str, int]], options: ClusteringOptions) -> list[tuple[int, int, int]]:
    """(start, end, run) in samples of the windows to embed, `run` numbering the speech runs;
    a short run gets one window of its own."""
    size, hop = int(options.window_seconds * SAMPLE_RATE), int(options.hop_seconds * SAMPLE_RATE)
    spans: list[tuple[int, int, int]] = []
    for run, c in enumerate(chunks):
        start, end = c["start"], c["end"]
        if end - start <= size:
            spans.append((start, end, run))
            continue
        spans.extend((s, s + size, run) for s in range(start, end - size + 1, hop))
        if spans[-1][1] < end:
            spans.append((end - size, end, run))
    return spans


def in_context(embeddings: npt.NDArray[np.float32], runs: Sequence[int]) -> npt.NDArray[np.float32]:
    """Each window's embedding averaged with its neighbours in the same speech run, renormalised:
    1.5 s of speech is a noisy voice print, 3 s much less so."""
    out = embeddings.copy()
    for i in range(len(embeddings)):
        near = [j for j in (i - 1, i, i + 1) if 0 <= j < len(embeddings) and runs[j] == runs[i]]
        mean = embeddings[near].mean(axis=0)
        out[i] = mean / max(float(np.linalg.norm(mean)), 1e-9)
    return out


def cluster(embeddings: npt.NDArray[np.float32], threshold: float, max_speakers: int) -> Labels:
    """Average-linkage agglomerative clustering of unit vectors by cosine similarity."""
    groups: list[list[int]] = [[i] for i in range(len(embeddings))]
    similarity = embeddings @ embeddings.T
    while len(groups) > 1:
        best, pair = -2.0, (0, 1)
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                score = float(similarity[np.ix_(groups[i], groups[j])].mean())
                if score > best:
                    best, pair = score, (i, j)
        if best < threshold and len(groups) <= max_speakers:
            break
        i, j = pair
        groups[i] += groups.pop(j)
    labels = np.zeros(len(embeddings), dtype=np.int64)
    for label, members in enumerate(groups):
        labels[members] = label
    return labels


def smooth(labels: Labels) -> Labels:
    """A window whose two neighbours agree with each other takes their label."""
    out = labels.copy()
    for i in range(1, len(labels) - 1):
        if labels[i - 1] == labels[i + 1] != labels[i]:
            out[i] = labels[i - 1]
    return out


def turns_from_windows(spans: Sequence[tuple[int, int, int]], labels: Labels) -> list[SpeakerTurn]:
    """Each window speaks for the part nearer its centre than its neighbours'; runs of a label join."""
    names: dict[int, str] = {}
    turns: list[SpeakerTurn] = []
    for index, ((start, end, _), label) in enumerate(zip(spans, labels, strict=True)):
        name = names.setdefault(int(label), f"S{len(names) + 1}")
        if index > 0 and spans[index - 1][1] > start:
            start = (start + spans[index - 1][1]) // 2
        if index + 1 < len(spans) and spans[index + 1][0] < end:
            end = (end + spans[index + 1][0]) // 2
        begin, finish = start / SAMPLE_RATE, end / SAMPLE_RATE
        if turns and turns[-1].speaker == name and begin - turns[-1].end < 1.0:
            turns[-1] = SpeakerTurn(name, turns[-1].start, finish)
        else:
            turns.append(SpeakerTurn(name, begin, finish))
    return turns


class LocalDiarizer:
    def __init__(
        self, encoder: VoiceEncoder, runner: InferenceRunner, options: ClusteringOptions = ClusteringOptions()
    ) -> None:
        self._encoder = encoder
        self._runner = runner
        self._options = options

    async def diarize(self, audio: DecodedAudio, max_speakers: int | None) -> Sequence[SpeakerTurn]:
        return await self._runner.run(self.diarize_sync, audio, max_speakers)

    def diarize_sync(self, audio: DecodedAudio, max_speakers: int | None) -> list[SpeakerTurn]:
        if channels_differ(audio.channels):
            return channel_turns(audio.channels)
        samples = audio.mono
        spans = windows(speech_chunks(samples), self._options)
        if not spans:
            return []
        limit = max_speakers or self._options.default_max_speakers
        embeddings = self._encoder.embed_windows([samples[s:e] for s, e, _ in spans])
        embeddings = in_context(embeddings, [run for _, _, run in spans])
        labels = smooth(cluster(embeddings, self._options.threshold, limit))
        return turns_from_windows(spans, labels)
