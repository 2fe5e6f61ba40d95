from tests.support.transcription import audio_server, make_transcribe, voice_encoder, whisper_models

__all__ = ["audio_server", "make_transcribe", "voice_encoder", "whisper_models"]
