"""Transcripts, disfluencies, pauses, speech metrics and speakers: pure rules over timed words."""
