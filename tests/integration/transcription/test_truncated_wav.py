"""The one decoder notices a WAV file that ends before its `data` chunk does, and only then."""

from __future__ import annotations

import pytest

from adapters.audio.decoder import ALL_FORMATS, decode_bytes
from domain.errors import AudioRejected
from tests.support.transcription import DATA

WAV = (DATA / "clip.wav").read_bytes()


def data_size_at(wav: bytes) -> int:
    return wav.index(b"data") + 4


def test_a_whole_wav_has_no_warning() -> None:
    assert decode_bytes(WAV, ALL_FORMATS).warnings == ()


def test_a_truncated_wav_is_decoded_as_far_as_it_goes_with_a_warning() -> None:
    whole = decode_bytes(WAV, ALL_FORMATS)
    cut = decode_bytes(WAV[:len(WAV) // 2], ALL_FORMATS)
    (warning,) = cut.warnings
    assert cut.duration == pytest.approx(whole.duration / 2, abs=0.05)
    assert f"announces {whole.duration:.1f} s" in warning and f"holds {cut.duration:.1f} s" in warning


def test_a_streaming_header_of_unknown_length_is_not_a_truncation() -> None:
    at = data_size_at(WAV)
    streamed = WAV[:at] + b"\xff\xff\xff\xff" + WAV[at + 4:]
    assert decode_bytes(streamed[:len(WAV) // 2], ALL_FORMATS).warnings == ()


def test_an_empty_file_is_corrupt() -> None:
    with pytest.raises(AudioRejected) as refused:
        decode_bytes(b"", ALL_FORMATS)
    assert (refused.value.code, refused.value.message) == ("corrupt", "The audio file is empty.")
