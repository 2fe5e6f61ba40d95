"""Fixtures shared by the transcription integration tests and BDD steps: the real recognisers (Moonshine
base-en, the default, and Whisper tiny.en) and voice encoder (loaded once per session), and a use case
wired from real adapters. `recognizer_engine` runs a test once per local recogniser."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Callable, Coroutine, Iterator
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest

from adapters.audio.decoder import PyAvDecoder
from adapters.audio.fetcher import FetchPolicy, HttpAudioFetcher
from adapters.inference.scheduler import InferenceScheduler
from adapters.pronunciation.sphinx import SphinxModels
from adapters.speech.alignment import TIMING_OPTIONS
from adapters.speech.diarization import LocalDiarizer
from adapters.speech.moonshine import MoonshineRecognizer
from adapters.speech.moonshine_models import MoonshineConfig, MoonshineModelManager
from adapters.speech.voice_encoder import VoiceEncoder
from adapters.speech.whisper import FasterWhisperRecognizer
from adapters.speech.whisper_models import WhisperConfig, WhisperModelManager
from application.audio_limits import AudioLimits
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWorkFactory
from application.use_cases.transcribe import Transcribe
from tests.fakes.cache_in_memory import InMemoryCache

DATA = Path(__file__).resolve().parents[1] / "data"
FORMATS = ("wav", "mp3", "m4a", "ogg", "opus", "flac", "webm")
ENGINES = ("moonshine", "whisper")
T = TypeVar("T")


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """The one sync-to-async bridge: pytest-bdd steps are synchronous."""
    return asyncio.run(coroutine)


@pytest.fixture(scope="session")
def whisper_models(tmp_path_factory: pytest.TempPathFactory) -> WhisperModelManager:
    manager = WhisperModelManager(WhisperConfig(cache_dir=tmp_path_factory.mktemp("models")))
    manager.get()
    return manager


@pytest.fixture(scope="session")
def moonshine_models(tmp_path_factory: pytest.TempPathFactory) -> MoonshineModelManager:
    manager = MoonshineModelManager(MoonshineConfig(cache_dir=tmp_path_factory.mktemp("models")))
    manager.get()
    return manager


@pytest.fixture(scope="session")
def sphinx_aligner() -> SphinxModels:
    return SphinxModels(2, options=TIMING_OPTIONS)


@pytest.fixture(params=ENGINES)
def recognizer_engine(request: pytest.FixtureRequest) -> str:
    """Each local recogniser in turn, for the behaviour both must keep (guard, diarization, timings)."""
    return str(request.param)


@pytest.fixture(scope="session")
def voice_encoder() -> VoiceEncoder:
    return VoiceEncoder()


TranscribeFactory = Callable[..., Transcribe]


@pytest.fixture
def make_transcribe(
    request: pytest.FixtureRequest, moonshine_models: MoonshineModelManager, sphinx_aligner: SphinxModels,
    voice_encoder: VoiceEncoder,
) -> TranscribeFactory:
    """Builds the use case from real adapters; keyword arguments change the recogniser ("moonshine", the
    default, or "whisper": tiny.en, loaded only when asked for), limits, cache or fetch policy."""

    def build(
        *,
        engine: str = "moonshine",
        max_bytes: int = 25_000_000,
        max_seconds: float = 600,
        min_seconds: float = 0.3,
        cache: InMemoryCache | None = None,
        policy: FetchPolicy | None = None,
        uow: UnitOfWorkFactory | None = None,
        clock: Clock | None = None,
        spoken_numbers: bool = True,
    ) -> Transcribe:
        runner = InferenceScheduler(workers=2, timeout_seconds=120)
        recognizer: MoonshineRecognizer | FasterWhisperRecognizer
        if engine == "whisper":
            recognizer = FasterWhisperRecognizer(request.getfixturevalue("whisper_models"), runner)
        else:
            recognizer = MoonshineRecognizer(moonshine_models, runner, sphinx_aligner)
        return Transcribe(
            recognizer,
            PyAvDecoder(runner, FORMATS),
            AudioLimits(max_bytes, max_seconds, min_seconds),
            fetcher=HttpAudioFetcher(policy or FetchPolicy(allow_private_hosts=True, require_https=False)),
            diarizer=LocalDiarizer(voice_encoder, runner),
            cache=cache,
            ttl_seconds=60,
            uow=uow,
            clock=clock,
            spoken_numbers=spoken_numbers,
        )

    return build


class _AudioHandler(http.server.SimpleHTTPRequestHandler):
    """Serves tests/data; `/unavailable/N/TOKEN/PATH` answers 503 to the first N requests for that URL, then
    serves PATH, like a host that is briefly down (a fresh TOKEN per test keeps tests apart)."""

    unavailable: dict[str, int] = {}
    lock = threading.Lock()

    def do_GET(self) -> None:
        parts = self.path.split("/", 4)
        if len(parts) == 5 and parts[1] == "unavailable" and parts[2].isdigit():
            with self.lock:
                seen = self.unavailable[self.path] = self.unavailable.get(self.path, 0) + 1
            if seen <= int(parts[2]):
                self.send_error(503, "briefly unavailable")
                return
            self.path = "/" + parts[4]
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def audio_server() -> Iterator[str]:
    """http://127.0.0.1:PORT serving tests/data, for the URL path (see `_AudioHandler`)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_AudioHandler, directory=str(DATA)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
