"""Channel settings from credentials.yml and the environment, as Rasa itself loads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.run import create_http_input_channels
from rasa.shared.exceptions import RasaException

from bot.channels.bf_config import settings_from_credentials
from rasa_adapters.channels.botframework import BotFrameworkInput

CHANNEL_KEY = "rasa_adapters.channels.botframework.BotFrameworkInput"


def test_the_environment_fills_what_the_block_leaves_out() -> None:
    settings = settings_from_credentials(
        {"welcome_payload": "/greet"},
        environ={
            "MICROSOFT_APP_ID": "app",
            "MICROSOFT_APP_PASSWORD": "secret",
            "MICROSOFT_APP_TENANT_ID": "t1",
        },
    )
    assert (settings.app_id, settings.app_password, settings.tenant_id) == ("app", "secret", "t1")
    assert settings.app_type == "SingleTenant"
    assert settings.resolved_token_url == "https://login.microsoftonline.com/t1/oauth2/v2.0/token"
    assert settings.configured


def test_without_a_tenant_the_bot_is_multi_tenant() -> None:
    settings = settings_from_credentials({"app_id": "app", "app_password": "secret"}, environ={})
    assert settings.app_type == "MultiTenant"
    assert (
        settings.resolved_token_url == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    )
    assert settings.accepted_issuers == ["https://api.botframework.com"]
    assert settings.metadata_urls == ["https://login.botframework.com/v1/.well-known/openidconfiguration"]


def test_a_tenant_adds_its_issuers_and_keys() -> None:
    settings = settings_from_credentials({"app_id": "a", "app_password": "s", "tenant_id": "t1"}, environ={})
    assert settings.accepted_issuers == [
        "https://api.botframework.com",
        "https://sts.windows.net/t1/",
        "https://login.microsoftonline.com/t1/v2.0",
    ]
    assert (
        settings.metadata_urls[1]
        == "https://login.microsoftonline.com/t1/v2.0/.well-known/openid-configuration"
    )


@pytest.mark.parametrize(
    "credentials, problem",
    [
        ({"app_type": "SingleTenant"}, "tenant_id"),
        ({"app_type": "Personal"}, "app_type"),
        ({"app_secret": "typo"}, "app_secret"),
    ],
)
def test_misconfiguration_is_named(credentials: dict, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        settings_from_credentials(credentials, environ={})


def test_an_empty_block_opens_the_channel_unconfigured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in (
        "MICROSOFT_APP_ID",
        "MICROSOFT_APP_PASSWORD",
        "MICROSOFT_APP_TENANT_ID",
        "MICROSOFT_APP_TYPE",
    ):
        monkeypatch.delenv(variable, raising=False)
    credentials = tmp_path / "credentials.yml"
    credentials.write_text(f"rest:\n{CHANNEL_KEY}:\n", encoding="utf-8")
    rest, teams = create_http_input_channels(None, str(credentials))
    assert isinstance(teams, BotFrameworkInput)
    assert teams.name() == "teams" and teams.url_prefix() == "teams"
    assert not teams.settings.configured


def test_the_block_reads_the_environment_when_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MICROSOFT_APP_ID", "app-from-env")
    monkeypatch.setenv("MICROSOFT_APP_PASSWORD", "secret-from-env")
    monkeypatch.delenv("MICROSOFT_APP_TENANT_ID", raising=False)
    monkeypatch.delenv("MICROSOFT_APP_TYPE", raising=False)
    credentials = tmp_path / "credentials.yml"
    credentials.write_text(f"{CHANNEL_KEY}:\n", encoding="utf-8")
    (teams,) = create_http_input_channels(None, str(credentials))
    assert teams.settings.app_id == "app-from-env"
    assert teams.settings.configured


def test_rasa_refuses_a_block_naming_an_unset_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Why the recommended block leaves the secrets to the environment instead of `${...}`."""
    monkeypatch.delenv("MICROSOFT_APP_ID", raising=False)
    credentials = tmp_path / "credentials.yml"
    credentials.write_text(f"{CHANNEL_KEY}:\n  app_id: ${{MICROSOFT_APP_ID}}\n", encoding="utf-8")
    with pytest.raises(RasaException, match="MICROSOFT_APP_ID"):
        create_http_input_channels(None, str(credentials))
