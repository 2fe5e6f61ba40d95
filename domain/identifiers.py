"""Ids a client chooses (learners, sessions) are stored with every result and key rate limits and caches:
bounded, so no caller can store or key on megabytes."""

from __future__ import annotations

from domain.errors import InvalidInput

MAX_ID_CHARS = 128


def check_id(value: str, field: str) -> str:
    """The id unchanged; InvalidInput naming `field` when it is longer than MAX_ID_CHARS."""
    if len(value) > MAX_ID_CHARS:
        raise InvalidInput(f"{field} is {len(value)} characters long; ids have at most {MAX_ID_CHARS}", field=field)
    return value
