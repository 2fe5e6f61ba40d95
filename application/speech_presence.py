"""The one test of "somebody spoke", shared by transcription's `requireSpeech` and pronunciation: the
recogniser (its voice activity detection and hallucination guard) heard at least one word."""

from __future__ import annotations

from collections.abc import Sized

from domain.errors import AudioRejected


def require_speech(heard_words: Sized) -> None:
    if not len(heard_words):
        raise AudioRejected("No speech was found in the recording.", code="no_speech")
