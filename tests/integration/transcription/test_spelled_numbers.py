"""Numbers spelled out for a transcript that becomes a reference text (unscripted pronunciation)."""

from __future__ import annotations

import re

from adapters.audio.decoder import PyAvDecoder
from adapters.inference.scheduler import InferenceScheduler
from adapters.speech.whisper import FasterWhisperRecognizer
from adapters.speech.whisper_models import WhisperModelManager
from application.ports.speech import RecognitionOptions
from tests.support.transcription import DATA, FORMATS


async def test_spell_numbers_writes_words_where_plain_decoding_writes_digits(
    whisper_models: WhisperModelManager,
) -> None:
    runner = InferenceScheduler(workers=1, timeout_seconds=120)
    audio = await PyAvDecoder(runner, FORMATS).decode((DATA / "numbers.ogg").read_bytes())
    recognizer = FasterWhisperRecognizer(whisper_models, runner)  # "My sister is 12 years old and she has 3 cats."
    plain = await recognizer.recognize(audio, RecognitionOptions(verbatim=False))
    spelled = await recognizer.recognize(audio, RecognitionOptions(verbatim=False, spell_numbers=True))
    assert re.search(r"\d", plain.text), plain.text
    assert not re.search(r"\d", spelled.text), spelled.text
    assert "twelve" in spelled.text.lower()
    assert all(w.end >= w.start for w in spelled.words)
