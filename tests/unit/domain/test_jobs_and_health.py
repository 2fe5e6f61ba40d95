from datetime import UTC, datetime, timedelta

import pytest

from domain.health import ComponentHealth, ComponentState, Readiness
from domain.jobs import InvalidTransition, Job, JobStatus, RetryPolicy, lease_expired

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def a_job(status: JobStatus = JobStatus.QUEUED) -> Job:
    return Job(id="j1", kind="analysis", status=status, input={"text": "hi"}, created_at=T0, updated_at=T0)


def test_a_job_runs_then_succeeds_with_full_progress() -> None:
    running = a_job().moved_to(JobStatus.RUNNING, T0 + timedelta(seconds=1), progress=0.4)
    done = running.moved_to(JobStatus.SUCCEEDED, T0 + timedelta(seconds=2), result={"ok": True})
    assert (running.progress, done.progress, done.result) == (0.4, 1.0, {"ok": True})
    assert done.status.finished and not running.status.finished
    assert done.updated_at == T0 + timedelta(seconds=2)


def test_progress_is_clamped_to_zero_one() -> None:
    assert a_job().moved_to(JobStatus.RUNNING, T0, progress=1.7).progress == 1.0
    assert a_job().moved_to(JobStatus.RUNNING, T0, progress=-1).progress == 0.0


@pytest.mark.parametrize("finished", [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED])
def test_a_finished_job_cannot_move_again(finished: JobStatus) -> None:
    with pytest.raises(InvalidTransition, match="not allowed"):
        a_job(finished).moved_to(JobStatus.RUNNING, T0)


def test_queued_job_cannot_succeed_without_running() -> None:
    with pytest.raises(InvalidTransition):
        a_job().moved_to(JobStatus.SUCCEEDED, T0)


def component(name: str, state: ComponentState, required: bool) -> ComponentHealth:
    return ComponentHealth(name=name, kind="x", state=state, required=required)


def test_ready_unless_a_required_component_is_down() -> None:
    optional_down = Readiness(
        (component("db", ComponentState.UP, True), component("redis", ComponentState.DOWN, False))
    )
    required_down = Readiness((component("db", ComponentState.DOWN, True),))
    unconfigured = Readiness((component("gemini", ComponentState.UNCONFIGURED, False),))
    assert optional_down.ready and optional_down.down == ("redis",)
    assert not required_down.ready
    assert unconfigured.ready and unconfigured.down == ()


def test_retry_delays_double_until_the_last_attempt() -> None:
    policy = RetryPolicy(max_attempts=4, base_delay_seconds=2, max_delay_seconds=5)
    assert [policy.delay_before(n) for n in (1, 2, 3, 4)] == [2.0, 4.0, 5.0, None]


def test_only_a_running_job_unheard_of_for_a_lease_is_orphaned() -> None:
    running = a_job().moved_to(JobStatus.RUNNING, T0)
    assert lease_expired(running, T0 + timedelta(seconds=61), lease_seconds=60)
    assert not lease_expired(running, T0 + timedelta(seconds=59), lease_seconds=60)
    assert not lease_expired(a_job(), T0 + timedelta(days=1), lease_seconds=60)
