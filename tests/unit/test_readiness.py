from application.use_cases.readiness import CheckReadiness, CheckReadinessCommand
from domain.health import ComponentState
from tests.fakes.probes import CrashingProbe, FixedProbe, HangingProbe


async def test_every_component_is_reported_with_its_state_and_latency() -> None:
    probes = [FixedProbe("database"), FixedProbe("cache.redis", ComponentState.DOWN, required=False),
              FixedProbe("provider.gemini", ComponentState.UNCONFIGURED, required=False)]
    readiness = await CheckReadiness(probes).execute(CheckReadinessCommand())
    states = {c.name: c.state for c in readiness.components}
    assert states == {"database": ComponentState.UP, "cache.redis": ComponentState.DOWN,
                      "provider.gemini": ComponentState.UNCONFIGURED}
    assert readiness.ready
    redis = next(c for c in readiness.components if c.name == "cache.redis")
    assert redis.detail == "cache.redis refused the connection"
    assert all(c.latency_ms is not None and c.latency_ms >= 0 for c in readiness.components)


async def test_a_probe_that_never_answers_is_down_after_the_deadline() -> None:
    readiness = await CheckReadiness([HangingProbe("database"), FixedProbe("cache.disk")]).execute(
        CheckReadinessCommand(timeout_seconds=0.05)
    )
    database = readiness.components[0]
    assert database.state is ComponentState.DOWN and "no answer within" in (database.detail or "")
    assert not readiness.ready


async def test_a_crashing_probe_reports_down_with_the_error() -> None:
    readiness = await CheckReadiness([CrashingProbe("queue")]).execute(CheckReadinessCommand())
    assert readiness.components[0].state is ComponentState.DOWN
    assert readiness.components[0].detail == "ConnectionResetError: peer went away"
