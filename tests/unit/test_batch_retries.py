"""The batch handler's retry rounds, with the job machinery's own test handlers: an item that fails
transiently runs again, one that keeps failing or crashes ends with the attempts made, the request's own
fault ends at once; the batch as a whole succeeds and each item keeps its outcome."""

from __future__ import annotations

from typing import Any

from application.job_handlers.batch import BatchJobHandler
from domain.jobs import RetryPolicy
from tests.fakes.jobs import CrashingHandler, FlakyHandler, RejectingHandler

FAST = RetryPolicy(max_attempts=3, base_delay_seconds=0.01)


async def run_batch(handlers: dict[str, Any], kinds: list[str], retry: RetryPolicy = FAST) -> list[dict[str, Any]]:
    reports: list[float] = []

    async def report(progress: float, partial: dict[str, Any] | None = None) -> None:
        reports.append(progress)

    handler = BatchJobHandler(handlers, None, max_items=10, retry=retry)
    payload = {"items": [{"kind": kind, "input": {}} for kind in kinds]}
    handler.validate(payload)
    result = await handler.run(payload, report)
    assert reports[-1] == 1.0
    return list(result["items"])


async def test_items_are_tried_again_as_jobs_are_and_keep_their_own_outcome() -> None:
    handlers = {"flaky": FlakyHandler(failures=1), "stuck": FlakyHandler(failures=10),
                "crashing": CrashingHandler(), "rejecting": RejectingHandler()}
    items = await run_batch(handlers, ["flaky", "stuck", "crashing", "rejecting"])

    flaky, stuck, crashing, rejecting = items
    assert (flaky["status"], flaky["attempts"], flaky["result"]) == ("succeeded", 2, {"ok": True, "runs": 2})
    assert (stuck["status"], stuck["attempts"], stuck["error"]["code"]) == ("failed", 3, "gave_up")
    assert stuck["error"]["message"] == "failed after 3 attempts: provider timed out (run 3)"
    assert (crashing["status"], crashing["attempts"], crashing["error"]["code"]) == ("failed", 3, "internal")
    assert crashing["error"]["message"].startswith("failed after 3 attempts: engine error ")
    assert "segfault" not in crashing["error"]["message"], "an engine fault's own message stays in the logs"
    assert (rejecting["status"], rejecting["attempts"]) == ("failed", 1)
    assert rejecting["error"] == {"code": "invalid_input", "message": "the recording could not be decoded",
                                  "field": "audio"}


async def test_with_one_attempt_allowed_a_transient_failure_ends_the_item_at_once() -> None:
    items = await run_batch({"flaky": FlakyHandler(failures=1)}, ["flaky"], RetryPolicy(max_attempts=1))
    assert (items[0]["status"], items[0]["attempts"], items[0]["error"]["code"]) == ("failed", 1, "gave_up")

