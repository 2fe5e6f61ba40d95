"""The one inference scheduler every capability's model calls go through, and the priority a caller gives
its calls. The priority travels with the caller's context: whoever starts background work (the job runner)
says so with `background_priority()`, and every model call made inside it, however deep, is queued behind
the interactive calls."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import IntEnum
from typing import Protocol, TypeVar

T = TypeVar("T")


class Priority(IntEnum):
    """Lower runs first."""

    INTERACTIVE = 0  # a request somebody is waiting on
    BACKGROUND = 1  # a job, or an item of a batch


_priority: ContextVar[Priority] = ContextVar("inference_priority", default=Priority.INTERACTIVE)


def current_priority() -> Priority:
    return _priority.get()


@contextmanager
def background_priority() -> Iterator[None]:
    """Model calls made inside the block (and in tasks it starts) wait behind every interactive call."""
    token = _priority.set(Priority.BACKGROUND)
    try:
        yield
    finally:
        _priority.reset(token)


class InferenceTimeout(Exception):
    """A model call did not finish (waiting for a worker included) within the scheduler's deadline."""


class InferenceRunner(Protocol):
    """Runs blocking model work off the event loop, a bounded number at a time, interactive calls first,
    under a deadline (raises InferenceTimeout). The priority is the caller's `current_priority()`."""

    async def run(self, function: Callable[..., T], *args: object) -> T: ...
