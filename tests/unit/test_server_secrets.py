"""Setup's secrets: generated once, readable only by their owner; the environment wins."""

from __future__ import annotations

import stat

import pytest

from bot import server_secrets, settings


@pytest.fixture
def secrets_dir(tmp_path, monkeypatch):
    directory = tmp_path / "secrets"
    monkeypatch.setattr(settings, "SECRETS_DIR", directory)
    for variable in settings.SECRET_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return directory


def test_missing_secrets_are_written_with_mode_0600(secrets_dir):
    written = server_secrets.ensure_secrets()
    assert {path.name for path in written} == {
        "rasa-auth-token",
        "action-server-token",
        "widget-session-secret",
    }
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(path.read_text().strip()) >= 40
    assert stat.S_IMODE(secrets_dir.stat().st_mode) == 0o700
    assert settings.rasa_auth_token() == (secrets_dir / "rasa-auth-token").read_text().strip()


def test_existing_secrets_are_kept(secrets_dir):
    server_secrets.ensure_secrets()
    before = settings.action_server_token()
    assert server_secrets.ensure_secrets() == []
    assert settings.action_server_token() == before


def test_the_environment_wins_and_no_file_is_written_for_it(secrets_dir, monkeypatch):
    monkeypatch.setenv("RASA_AUTH_TOKEN", "from-the-environment")
    written = server_secrets.ensure_secrets()
    assert settings.rasa_auth_token() == "from-the-environment"
    assert not (secrets_dir / "rasa-auth-token").exists()
    assert len(written) == 2


def test_secrets_differ(secrets_dir):
    server_secrets.ensure_secrets()
    values = {settings.secret(variable) for variable in settings.SECRET_VARIABLES}
    assert len(values) == len(settings.SECRET_VARIABLES)


def test_allowed_origins_default_to_the_web_page_and_never_star(monkeypatch):
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    assert settings.allowed_origins(8123) == ["http://localhost:8123", "http://127.0.0.1:8123"]
    monkeypatch.setenv("CORS_ORIGINS", "https://www.regionh.dk/, *")
    assert settings.allowed_origins(8123) == ["https://www.regionh.dk"]


def test_servers_listen_on_loopback_unless_told(monkeypatch):
    monkeypatch.delenv("BIND_HOST", raising=False)
    assert settings.server_host() == "127.0.0.1"
    monkeypatch.setenv("BIND_HOST", "0.0.0.0")
    assert settings.server_host() == "0.0.0.0"


def test_a_new_secret_never_looks_like_a_command_line_option() -> None:
    values = {server_secrets.new_secret() for _ in range(200)}
    assert len(values) == 200
    assert all(len(value) == 64 and not value.startswith("-") for value in values)
    assert all(set(value) <= set("0123456789abcdef") for value in values)
