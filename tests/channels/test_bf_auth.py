"""Incoming-token checks against the stand-in's real OpenID metadata and signing keys."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from bot.channels.bf_auth import ActivityAuthenticator, AuthenticationError, SigningKeyCache
from bot.channels.bf_config import MICROSOFT_SERVICE_URL_HOSTS, settings_from_credentials
from tests.channels.activities import TENANT_ID, teams_message
from tests.channels.standin import BotFrameworkStandIn, new_rsa_key


async def _verify(standin: BotFrameworkStandIn, activity: dict, authorization: str | None, **overrides: Any):
    settings = settings_from_credentials(standin.channel_credentials(**overrides), environ={})
    async with aiohttp.ClientSession() as session:
        keys = SigningKeyCache(settings.metadata_urls, lambda: session, settings.key_cache_seconds)
        return await ActivityAuthenticator(settings, keys).verify(authorization, activity)


def verify(standin: BotFrameworkStandIn, activity: dict, authorization: str | None, **overrides: Any) -> dict:
    return asyncio.run(_verify(standin, activity, authorization, **overrides))


def test_a_token_signed_by_the_published_key_is_accepted(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    claims = verify(standin, activity, standin.authorization(activity))
    assert claims["aud"] == standin.app_id
    assert claims["iss"] == "https://api.botframework.com"


@pytest.mark.parametrize("authorization", [None, "", "Basic dXNlcjpwdw==", "Bearer", "Bearer not.a.jwt"])
def test_missing_or_malformed_authorization_is_refused(
    standin: BotFrameworkStandIn, authorization: str | None
) -> None:
    activity = teams_message(standin.service_url, "Hej")
    with pytest.raises(AuthenticationError):
        verify(standin, activity, authorization)


def test_a_token_signed_with_another_key_under_the_published_kid_is_refused(
    standin: BotFrameworkStandIn,
) -> None:
    activity = teams_message(standin.service_url, "Hej")
    forged = standin.authorization(activity, key=new_rsa_key(), kid=standin.key_id)
    with pytest.raises(AuthenticationError, match="Signature verification failed"):
        verify(standin, activity, forged)


def test_a_token_under_an_unknown_key_id_is_refused(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    forged = standin.authorization(activity, key=new_rsa_key(), kid="attacker-key")
    with pytest.raises(AuthenticationError, match="unknown signing key"):
        verify(standin, activity, forged)


def test_a_rotated_key_is_fetched_on_its_first_use_but_unknown_kids_cannot_force_fetches(
    standin: BotFrameworkStandIn,
) -> None:
    settings = settings_from_credentials(standin.channel_credentials(), environ={})
    now = [1000.0]
    activity = teams_message(standin.service_url, "Hej")

    async def scenario() -> None:
        async with aiohttp.ClientSession() as session:
            keys = SigningKeyCache(settings.metadata_urls, lambda: session, 24 * 3600, clock=lambda: now[0])
            authenticator = ActivityAuthenticator(settings, keys)
            await authenticator.verify(standin.authorization(activity), activity)
            standin.rotate_key()
            now[0] += 120
            await authenticator.verify(standin.authorization(activity), activity)
            forged = standin.authorization(activity, key=new_rsa_key(), kid="attacker-key")
            with pytest.raises(AuthenticationError, match="unknown signing key"):
                await authenticator.verify(forged, activity)

    asyncio.run(scenario())
    # The first use, then the rotation; the forged kid right after fetched nothing more.
    assert standin.state.metadata_fetches == 2


@pytest.mark.parametrize(
    "token_options, reason",
    [
        ({"audience": "another-bot-app-id"}, "audience"),
        ({"issuer": "https://evil.example.com"}, "issuer"),
        ({"expires_in": -3600}, "expired"),
    ],
)
def test_wrong_audience_issuer_or_expiry_is_refused(
    standin: BotFrameworkStandIn, token_options: dict, reason: str
) -> None:
    activity = teams_message(standin.service_url, "Hej")
    with pytest.raises(AuthenticationError, match=f"(?i){reason}"):
        verify(standin, activity, standin.authorization(activity, **token_options))


def test_a_token_just_past_expiry_is_within_the_clock_skew_leeway(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    token = standin.authorization(activity, expires_in=-60)
    assert verify(standin, activity, token)["aud"] == standin.app_id
    with pytest.raises(AuthenticationError, match="expired"):
        verify(standin, activity, token, leeway_seconds=10)


def test_the_service_url_claim_must_match_the_activity(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    token = standin.authorization(activity, service_url="https://smba.trafficmanager.net/emea/")
    with pytest.raises(AuthenticationError, match="serviceUrl"):
        verify(standin, activity, token)


def test_the_key_must_be_endorsed_for_the_activitys_channel(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej", channelId="slack")
    with pytest.raises(AuthenticationError, match="endorsed"):
        verify(standin, activity, standin.authorization(activity))


def tenant_token(standin: BotFrameworkStandIn, activity: dict, **options: Any) -> str:
    """A token as the tenant issues it: the tenant's own key, ver 1.0 and our app id in `appid`."""
    claims = {"ver": "1.0", "appid": standin.app_id, **options.pop("claims", {})}
    return standin.authorization(
        activity,
        issuer=options.pop("issuer", f"https://sts.windows.net/{TENANT_ID}/"),
        key=options.pop("key", standin.tenant_signing_key),
        kid=options.pop("kid", standin.tenant_key_id),
        claims=claims,
        **options,
    )


def test_tenant_issuers_are_accepted_only_when_a_tenant_is_configured(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    token = tenant_token(standin, activity)
    with pytest.raises(AuthenticationError, match="issuer"):
        verify(standin, activity, token)
    claims = verify(standin, activity, token, tenant_id=TENANT_ID)
    assert claims["iss"] == f"https://sts.windows.net/{TENANT_ID}/"
    other_tenant = tenant_token(standin, activity, issuer="https://sts.windows.net/someone-else/")
    with pytest.raises(AuthenticationError, match="issuer"):
        verify(standin, activity, other_tenant, tenant_id=TENANT_ID)


# -- Microsoft's rules, each broken by a crafted token (issue 10) ---------------------------


def test_a_bot_framework_token_without_the_serviceurl_claim_is_refused(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    with pytest.raises(AuthenticationError, match="no serviceurl claim"):
        verify(standin, activity, standin.authorization(activity, omit=("serviceurl",)))
    with pytest.raises(AuthenticationError, match="no serviceurl claim"):
        verify(standin, activity, standin.authorization(activity, service_url=""))


def test_a_tenant_token_signed_with_the_bot_framework_key_is_refused(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    token = tenant_token(standin, activity, key=standin.signing_key, kid=standin.key_id)
    with pytest.raises(AuthenticationError, match="unknown signing key"):
        verify(standin, activity, token, tenant_id=TENANT_ID)


def test_a_bot_framework_token_signed_with_the_tenant_key_is_refused(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    token = standin.authorization(activity, key=standin.tenant_signing_key, kid=standin.tenant_key_id)
    with pytest.raises(AuthenticationError, match="unknown signing key"):
        verify(standin, activity, token, tenant_id=TENANT_ID)


@pytest.mark.parametrize(
    ("claims", "omit", "reason"),
    [
        ({"appid": "another-app"}, (), "appid is not this bot"),
        ({}, ("appid",), "appid is not this bot"),
        ({"ver": "2.0"}, (), "azp is not this bot"),  # v2 tokens name the app in azp
        ({"ver": "2.0", "azp": "another-app"}, (), "azp is not this bot"),
        ({"ver": "3.0"}, (), "unknown version"),
        ({}, ("ver",), "unknown version"),
    ],
)
def test_a_tenant_token_must_name_this_bot_and_have_a_known_version(
    standin: BotFrameworkStandIn, claims: dict, omit: tuple, reason: str
) -> None:
    activity = teams_message(standin.service_url, "Hej")
    token = tenant_token(standin, activity, claims=claims, omit=omit)
    with pytest.raises(AuthenticationError, match=reason):
        verify(standin, activity, token, tenant_id=TENANT_ID)


def test_a_v2_tenant_token_with_this_bot_in_azp_is_accepted(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    token = tenant_token(
        standin,
        activity,
        issuer=f"https://login.microsoftonline.com/{TENANT_ID}/v2.0",
        claims={"ver": "2.0", "azp": standin.app_id},
        omit=("appid",),
    )
    assert verify(standin, activity, token, tenant_id=TENANT_ID)["azp"] == standin.app_id


@pytest.mark.parametrize(
    "service_url",
    [
        "https://evil.example.com/teams/",
        "https://smba.trafficmanager.net.evil.example/emea/",
        "https://botframework.com.evil.example/",
        "http://smba.trafficmanager.net/emea/",  # not https
        "https://user@smba.trafficmanager.net/emea/",
    ],
)
def test_a_service_url_off_the_microsoft_allow_list_is_refused(
    standin: BotFrameworkStandIn, service_url: str
) -> None:
    activity = teams_message(service_url, "Hej")  # signed for that URL, so only the allow-list stops it
    token = standin.authorization(activity)
    with pytest.raises(AuthenticationError, match="not an allowed Microsoft address"):
        production = {"service_url_hosts": MICROSOFT_SERVICE_URL_HOSTS, "allow_http_service_url": "no"}
        verify(standin, activity, token, **production)


@pytest.mark.parametrize(
    "service_url",
    [
        "https://smba.trafficmanager.net/emea/",
        "https://webchat.botframework.com/",
        "https://europe.webchat.botframework.com/",
        "https://smba.infra.gcc.teams.microsoft.com/amer/",
    ],
)
def test_microsoft_service_urls_are_allowed(service_url: str) -> None:
    assert settings_from_credentials({"app_id": "x"}, environ={}).service_url_allowed(service_url)


def test_the_stand_in_port_is_the_only_http_address_allowed_in_tests(standin: BotFrameworkStandIn) -> None:
    settings = settings_from_credentials(standin.channel_credentials(), environ={})
    assert settings.service_url_allowed(standin.service_url)
    assert not settings.service_url_allowed("http://127.0.0.1:1/teams-service/")


def test_a_channel_without_app_id_refuses_even_valid_tokens(standin: BotFrameworkStandIn) -> None:
    activity = teams_message(standin.service_url, "Hej")
    with pytest.raises(AuthenticationError, match="no app id"):
        verify(standin, activity, standin.authorization(activity), app_id="")


def test_signing_keys_are_cached_between_activities(standin: BotFrameworkStandIn) -> None:
    settings = settings_from_credentials(standin.channel_credentials(), environ={})

    async def two_activities() -> None:
        async with aiohttp.ClientSession() as session:
            authenticator = ActivityAuthenticator(
                settings, SigningKeyCache(settings.metadata_urls, lambda: session, settings.key_cache_seconds)
            )
            for text in ("Hej", "Tak"):
                activity = teams_message(standin.service_url, text)
                await authenticator.verify(standin.authorization(activity), activity)

    asyncio.run(two_activities())
    assert standin.state.metadata_fetches == 1


def test_stale_keys_are_fetched_again(standin: BotFrameworkStandIn) -> None:
    settings = settings_from_credentials(standin.channel_credentials(), environ={})
    now = [1000.0]

    async def before_and_after_a_day() -> None:
        async with aiohttp.ClientSession() as session:
            keys = SigningKeyCache(settings.metadata_urls, lambda: session, 24 * 3600, clock=lambda: now[0])
            authenticator = ActivityAuthenticator(settings, keys)
            activity = teams_message(standin.service_url, "Hej")
            await authenticator.verify(standin.authorization(activity), activity)
            now[0] += 24 * 3600 + 1
            await authenticator.verify(standin.authorization(activity), activity)

    asyncio.run(before_and_after_a_day())
    assert standin.state.metadata_fetches == 2
