from pathlib import Path

import pytest

from entrypoints.env_example import render
from entrypoints.settings import DEV_API_KEY, Environment, SettingsError, load_settings

pytestmark = pytest.mark.usefixtures("clean_env")
REPO = Path(__file__).resolve().parents[2]


def test_defaults_run_embedded_on_port_8001() -> None:
    settings = load_settings()
    assert settings.port == 8001
    assert settings.database.url.startswith("sqlite+aiosqlite://")
    assert settings.redis.url is None and settings.celery_broker_url is None
    assert settings.cefr.thresholds == (30, 45, 60, 75, 90)
    assert settings.cache.ttl_transcription_seconds == 86_400 and settings.cache.ttl_analysis_seconds == 3_600


def test_nested_variables_and_lists_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGLIVO_REDIS__URL", "redis://127.0.0.1:6379/2")
    monkeypatch.setenv("ENGLIVO_SECURITY__API_KEYS", "key-one,key-two")
    monkeypatch.setenv("ENGLIVO_AUDIO__FORMATS", "wav,flac")
    monkeypatch.setenv("ENGLIVO_CEFR__THRESHOLDS", "[25, 40, 55, 70, 85]")
    settings = load_settings()
    assert settings.celery_broker_url == "redis://127.0.0.1:6379/2"
    assert [k.get_secret_value() for k in settings.security.api_keys] == ["key-one", "key-two"]
    assert settings.audio.formats == ["wav", "flac"]
    assert settings.cefr.thresholds == (25, 40, 55, 70, 85)


def test_secrets_never_show_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGLIVO_SECURITY__API_KEYS", "super-secret-value")
    monkeypatch.setenv("ENGLIVO_ENGINES__GEMINI_API_KEY", "gemini-secret")
    shown = repr(load_settings()) + str(load_settings().model_dump())
    assert "super-secret-value" not in shown and "gemini-secret" not in shown


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("ENGLIVO_PORT", "70000", "less than or equal to 65535"),
        ("ENGLIVO_DATABASE__URL", "mysql://db", "sqlite+aiosqlite://"),
        ("ENGLIVO_CEFR__THRESHOLDS", "30,20,60,75,90", "increase"),
        ("ENGLIVO_SECURITY__RATE_LIMIT_PER_USER", "lots", "not a rate"),
        ("ENGLIVO_AUDIO__MAX_MB", "-1", "greater than 0"),
        ("ENGLIVO_ENVIRONMENT", "staging", "development"),
    ],
)
def test_invalid_settings_fail_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert variable in str(raised.value) and reason in str(raised.value)


def test_production_refuses_to_start_without_real_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGLIVO_ENVIRONMENT", "production")
    with pytest.raises(SettingsError, match="ENGLIVO_SECURITY__API_KEYS"):
        load_settings()
    monkeypatch.setenv("ENGLIVO_SECURITY__API_KEYS", DEV_API_KEY)
    with pytest.raises(SettingsError, match="not the dev key"):
        load_settings()
    monkeypatch.setenv("ENGLIVO_SECURITY__API_KEYS", "a-long-production-key-0123")
    settings = load_settings()
    assert settings.environment is Environment.PRODUCTION
    assert settings.log_json and not settings.graphiql_enabled and not settings.auto_migrate


def test_env_example_documents_every_variable_and_is_current() -> None:
    assert (REPO / ".env.example").read_text() == render(), "run: python -m entrypoints.env_example > .env.example"


def test_env_example_loads_as_a_working_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text(render())
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert [k.get_secret_value() for k in settings.security.api_keys] == [DEV_API_KEY]
