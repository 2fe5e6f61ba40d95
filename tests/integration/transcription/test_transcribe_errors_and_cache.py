"""Every typed refusal of the use case, through the real decoder, fetcher and model; and the cache."""

from __future__ import annotations

import socket

import pytest

from adapters.audio.fetcher import FetchPolicy
from application.use_cases.transcribe import TranscribeCommand
from domain.errors import AudioRejected, InvalidInput
from tests.fakes.cache_in_memory import InMemoryCache
from tests.support.transcription import DATA, TranscribeFactory

CLIP = (DATA / "024020047.flac").read_bytes()


async def rejected(factory_call: object) -> AudioRejected:
    with pytest.raises(AudioRejected) as caught:
        await factory_call  # type: ignore[misc]
    return caught.value


async def test_too_large_upload(make_transcribe: TranscribeFactory) -> None:
    error = await rejected(make_transcribe(max_bytes=10_000).execute(TranscribeCommand(audio=CLIP)))
    assert (error.code, error.limit) == ("too_large", "0.01 MB")


async def test_too_long_and_too_short(make_transcribe: TranscribeFactory) -> None:
    assert (await rejected(make_transcribe(max_seconds=1).execute(TranscribeCommand(audio=CLIP)))).code == "too_long"
    assert (await rejected(make_transcribe(min_seconds=5).execute(TranscribeCommand(audio=CLIP)))).code == "too_short"


async def test_unsupported_and_corrupt_audio(make_transcribe: TranscribeFactory) -> None:
    transcribe = make_transcribe()
    assert (await rejected(transcribe.execute(TranscribeCommand(audio=b"not audio at all " * 50)))).code == (
        "unsupported_format"
    )
    assert (await rejected(transcribe.execute(TranscribeCommand(audio=CLIP[:3000])))).code == "corrupt"


async def test_no_speech_when_speech_is_required(make_transcribe: TranscribeFactory) -> None:
    command = TranscribeCommand(audio=(DATA / "silence.ogg").read_bytes(), require_speech=True)
    assert (await rejected(make_transcribe().execute(command))).code == "no_speech"


async def test_invalid_requests(make_transcribe: TranscribeFactory) -> None:
    transcribe = make_transcribe()
    for command in [
        TranscribeCommand(),
        TranscribeCommand(audio=CLIP, url="http://example.com/a.wav"),
        TranscribeCommand(audio=CLIP, language="not a language"),
        TranscribeCommand(audio=CLIP, diarize=True, max_speakers=0),
        TranscribeCommand(audio=CLIP, language="fr-FR"),
    ]:
        with pytest.raises(InvalidInput):
            await transcribe.execute(command)


async def test_audio_by_url(make_transcribe: TranscribeFactory, audio_server: str) -> None:
    transcript = await make_transcribe().execute(TranscribeCommand(url=f"{audio_server}/024020047.flac"))
    assert transcript.words


async def test_url_refusals(make_transcribe: TranscribeFactory, audio_server: str) -> None:
    url = f"{audio_server}/024020047.flac"
    private = make_transcribe(policy=FetchPolicy(require_https=False))
    assert (await rejected(private.execute(TranscribeCommand(url=url)))).code == "host_not_allowed"
    https_only = make_transcribe(policy=FetchPolicy(allow_private_hosts=True))
    assert (await rejected(https_only.execute(TranscribeCommand(url=url)))).code == "host_not_allowed"
    listed = make_transcribe(
        policy=FetchPolicy(allowed_hosts=("example.com",), allow_private_hosts=True, require_https=False)
    )
    assert (await rejected(listed.execute(TranscribeCommand(url=url)))).code == "host_not_allowed"
    open_policy = FetchPolicy(allow_private_hosts=True, require_https=False)
    assert (
        await rejected(
            make_transcribe(policy=open_policy).execute(TranscribeCommand(url=f"{audio_server}/missing.flac"))
        )
    ).code == "unreachable"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/a.flac"
    assert (
        await rejected(make_transcribe(policy=open_policy).execute(TranscribeCommand(url=closed)))
    ).code == "unreachable"
    small = make_transcribe(max_bytes=10_000, policy=open_policy)
    assert (await rejected(small.execute(TranscribeCommand(url=url)))).code == "too_large"


async def test_results_are_cached_by_audio_content_and_options(
    make_transcribe: TranscribeFactory, audio_server: str
) -> None:
    cache = InMemoryCache()
    transcribe = make_transcribe(cache=cache)
    first = await transcribe.execute(TranscribeCommand(audio=CLIP))
    again = await transcribe.execute(TranscribeCommand(url=f"{audio_server}/024020047.flac"))
    assert len(cache.writes) == 1 and cache.hits == 1
    assert again.words == first.words and again.metrics == first.metrics
    await transcribe.execute(TranscribeCommand(audio=CLIP, verbatim=False))
    assert len(cache.writes) == 2
    assert all(key.startswith("transcription:moonshine-moonshine-base-en-") for key in cache.writes)


async def test_nothing_is_cached_on_error(make_transcribe: TranscribeFactory) -> None:
    cache = InMemoryCache()
    with pytest.raises(AudioRejected):
        await make_transcribe(cache=cache, max_seconds=1).execute(TranscribeCommand(audio=CLIP))
    with pytest.raises(AudioRejected):
        await make_transcribe(cache=cache).execute(TranscribeCommand(audio=CLIP[:3000]))
    assert cache.values == {}
