from tests.support.transcription import (
    audio_server,
    make_transcribe,
    moonshine_models,
    recognizer_engine,
    sphinx_aligner,
    voice_encoder,
    whisper_models,
)

__all__ = [
    "audio_server",
    "make_transcribe", "moonshine_models", "recognizer_engine", "sphinx_aligner", "voice_encoder", "whisper_models",
]
