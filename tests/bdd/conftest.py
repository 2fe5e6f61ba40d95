from tests.support.transcription import make_transcribe, voice_encoder, whisper_models

__all__ = ["make_transcribe", "voice_encoder", "whisper_models"]
