"""The one inference scheduler: interactive calls before queued job and batch work, at most `workers` calls at
once, one deadline, and calls whose caller gave up never run. Orders are asserted, never durations."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest

from adapters.inference.scheduler import InferenceScheduler
from application.ports.inference import InferenceTimeout, Priority, background_priority, current_priority


class Gate:
    """A model call that holds its worker until the test opens the gate."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self) -> str:
        self.started.set()
        assert self.release.wait(30), "the test never opened the gate"
        return "gate"

    async def wait_started(self) -> None:
        assert await asyncio.to_thread(self.started.wait, 30), "the gate call never started"


def recorder(ran: list[str], name: str) -> Callable[[], str]:
    def call() -> str:
        ran.append(name)
        return name

    return call


async def test_an_interactive_call_runs_before_the_job_and_batch_work_queued_ahead_of_it() -> None:
    scheduler = InferenceScheduler(workers=1, timeout_seconds=60)
    gate, ran = Gate(), []
    try:
        with background_priority():  # as the job runner runs a batch: everything here is background work
            busy = asyncio.create_task(scheduler.run(gate))
            await gate.wait_started()
            items = [asyncio.create_task(scheduler.run(recorder(ran, f"batch-{i}"))) for i in range(3)]
            await asyncio.sleep(0)  # each item is queued when its task first runs
        interactive = asyncio.create_task(scheduler.run(recorder(ran, "interactive")))
        await asyncio.sleep(0)
        gate.release.set()
        await asyncio.gather(busy, *items, interactive)
    finally:
        gate.release.set()
        scheduler.close()
    assert ran == ["interactive", "batch-0", "batch-1", "batch-2"]


async def test_the_priority_is_the_caller_s_and_an_explicit_one_wins() -> None:
    async def priority_in_a_task() -> Priority:
        return current_priority()

    assert current_priority() is Priority.INTERACTIVE
    with background_priority():
        assert current_priority() is Priority.BACKGROUND
        inherited = await asyncio.create_task(priority_in_a_task())
    assert inherited is Priority.BACKGROUND and current_priority() is Priority.INTERACTIVE

    scheduler = InferenceScheduler(workers=1, timeout_seconds=60)
    gate, ran = Gate(), []
    try:
        busy = asyncio.create_task(scheduler.run(gate))
        await gate.wait_started()
        queued = [asyncio.create_task(scheduler.run(recorder(ran, "plain"))),
                  asyncio.create_task(scheduler.run(recorder(ran, "named background"), priority=Priority.BACKGROUND)),
                  asyncio.create_task(scheduler.run(recorder(ran, "named interactive"), priority=Priority.INTERACTIVE))]
        await asyncio.sleep(0)
        gate.release.set()
        await asyncio.gather(busy, *queued)
    finally:
        gate.release.set()
        scheduler.close()
    assert ran == ["plain", "named interactive", "named background"]


async def test_no_more_than_workers_calls_run_at_once() -> None:
    scheduler = InferenceScheduler(workers=2, timeout_seconds=60)
    gates = [Gate() for _ in range(3)]
    try:
        calls = [asyncio.create_task(scheduler.run(g)) for g in gates]
        await gates[0].wait_started()
        await gates[1].wait_started()
        assert not gates[2].started.is_set()
        gates[0].release.set()
        await gates[2].wait_started()  # the third takes the freed worker
        for gate in gates:
            gate.release.set()
        assert await asyncio.gather(*calls) == ["gate"] * 3
    finally:
        for gate in gates:
            gate.release.set()
        scheduler.close()


async def test_a_call_that_times_out_before_its_turn_never_runs() -> None:
    scheduler = InferenceScheduler(workers=1, timeout_seconds=0.5)
    gate, ran = Gate(), []
    try:
        busy = asyncio.create_task(scheduler.run(gate))
        await gate.wait_started()
        with pytest.raises(InferenceTimeout, match=r"did not finish within 0\.5 s"):
            await scheduler.run(recorder(ran, "late"))
        gate.release.set()
        with pytest.raises(InferenceTimeout):  # the gate itself outlived the deadline too
            await busy
        assert await scheduler.run(recorder(ran, "next")) == "next"
    finally:
        gate.release.set()
        scheduler.close()
    assert ran == ["next"]


async def test_a_cancelled_caller_s_queued_call_never_runs_and_errors_reach_the_caller() -> None:
    scheduler = InferenceScheduler(workers=1, timeout_seconds=60)
    gate, ran = Gate(), []

    def broken() -> None:
        raise ValueError("model fault")

    try:
        busy = asyncio.create_task(scheduler.run(gate))
        await gate.wait_started()
        abandoned = asyncio.create_task(scheduler.run(recorder(ran, "abandoned")))
        await asyncio.sleep(0)
        abandoned.cancel()
        gate.release.set()
        await busy
        with pytest.raises(ValueError, match="model fault"):
            await scheduler.run(broken)
        assert await scheduler.run(recorder(ran, "after")) == "after"
    finally:
        gate.release.set()
        scheduler.close()
    assert ran == ["after"] and abandoned.cancelled()


async def test_after_close_queued_calls_are_cancelled_and_new_calls_start_new_workers() -> None:
    scheduler = InferenceScheduler(workers=1, timeout_seconds=60)
    gate, ran = Gate(), []
    busy = asyncio.create_task(scheduler.run(gate))
    await gate.wait_started()
    queued = asyncio.create_task(scheduler.run(recorder(ran, "queued")))
    await asyncio.sleep(0)
    scheduler.close()
    gate.release.set()
    assert await busy == "gate"
    with pytest.raises(asyncio.CancelledError):
        await queued
    assert await scheduler.run(recorder(ran, "reopened")) == "reopened"
    scheduler.close()
    assert ran == ["reopened"]
