"""Settings of the Bot Framework channel: the credentials.yml block, with the environment as fallback.

Rasa refuses to start when credentials.yml names an unset `${VAR}`, so the block may leave the
secrets out entirely; they are then read from MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and
MICROSOFT_APP_TENANT_ID. Without an app id the channel still opens, but rejects every activity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.settings import bot_framework_environment

BOTFRAMEWORK_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
TENANT_OPENID_METADATA_URL = (
    "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration"
)
BOTFRAMEWORK_ISSUER = "https://api.botframework.com"
TOKEN_URL = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"
TOKEN_SCOPE = "https://api.botframework.com/.default"
# The token authority of multi-tenant bots.
MULTI_TENANT_AUTHORITY = "botframework.com"
# Where Microsoft's channels send activities from (the activity's `serviceUrl`): Teams,
# Teams for government clouds, Web Chat and Direct Line. "*." allows any subdomain; an entry
# with ":port" matches that port only. Only these hosts ever receive the bot's token.
MICROSOFT_SERVICE_URL_HOSTS = "smba.trafficmanager.net,*.teams.microsoft.com,*.botframework.com"
# The `ver` of tokens an Entra tenant issues, and the claim that carries the calling app's id.
TENANT_TOKEN_APP_ID_CLAIM = {"1.0": "appid", "2.0": "azp"}
SINGLE_TENANT = "SingleTenant"
MULTI_TENANT = "MultiTenant"

# credentials.yml key -> environment variable read when the key is missing or empty.
ENVIRONMENT_FALLBACKS = {
    "app_id": "MICROSOFT_APP_ID",
    "app_password": "MICROSOFT_APP_PASSWORD",
    "tenant_id": "MICROSOFT_APP_TENANT_ID",
    "app_type": "MICROSOFT_APP_TYPE",
}


@dataclass(frozen=True)
class BotFrameworkSettings:
    app_id: str = ""
    app_password: str = ""
    # Set: only activities from this Microsoft Entra tenant are accepted, and (single-tenant
    # bots) the outgoing token comes from this tenant.
    tenant_id: str = ""
    app_type: str = MULTI_TENANT
    openid_metadata_url: str = BOTFRAMEWORK_OPENID_METADATA_URL
    tenant_openid_metadata_url: str = TENANT_OPENID_METADATA_URL
    issuer: str = BOTFRAMEWORK_ISSUER
    token_url: str = TOKEN_URL
    token_scope: str = TOKEN_SCOPE
    # Microsoft's SDKs allow five minutes of clock skew.
    leeway_seconds: int = 300
    # What a new conversation sends to the bot, as if the user had typed it.
    welcome_payload: str = "/greet"
    # Signing keys are fetched again after this long (Microsoft: at least daily).
    key_cache_seconds: int = 24 * 3600
    send_attempts: int = 4
    # Hosts the activity's serviceUrl may point at (comma-separated; see MICROSOFT_SERVICE_URL_HOSTS).
    service_url_hosts: str = MICROSOFT_SERVICE_URL_HOSTS
    # Only for a local stand-in: also accept http:// service URLs. Never in production.
    allow_http_service_url: bool = False

    @property
    def configured(self) -> bool:
        return bool(self.app_id and self.app_password)

    @property
    def accepted_issuers(self) -> list[str]:
        return [self.issuer, *self.tenant_issuers]

    @property
    def metadata_urls(self) -> list[str]:
        urls = [self.openid_metadata_url]
        if self.tenant_id:
            tenant_url = self.tenant_openid_metadata_url.format(tenant=self.tenant_id)
            if tenant_url not in urls:
                urls.append(tenant_url)
        return urls

    @property
    def tenant_issuers(self) -> list[str]:
        if not self.tenant_id:
            return []
        return [
            f"https://sts.windows.net/{self.tenant_id}/",
            f"https://login.microsoftonline.com/{self.tenant_id}/v2.0",
        ]

    def metadata_url_for_issuer(self, issuer: object) -> str | None:
        """Where the signing keys of `issuer` are published; None for an issuer we do not accept."""
        if issuer == self.issuer:
            return self.openid_metadata_url
        if issuer in self.tenant_issuers:
            return self.tenant_openid_metadata_url.format(tenant=self.tenant_id)
        return None

    def service_url_allowed(self, service_url: str) -> bool:
        """True when `service_url` is https (or http for a stand-in) on an allowed host."""
        try:
            parts = urlsplit(service_url)
            hostname, port = (parts.hostname or "").lower(), parts.port
        except ValueError:
            return False
        schemes = ("https", "http") if self.allow_http_service_url else ("https",)
        if parts.scheme not in schemes or not hostname or parts.username or parts.password:
            return False
        for entry in (e.strip().lower() for e in self.service_url_hosts.split(",") if e.strip()):
            host, _, entry_port = entry.partition(":")
            if entry_port and str(port) != entry_port:
                continue
            if host == hostname or (host.startswith("*.") and hostname.endswith(host[1:])):
                return True
        return False

    @property
    def resolved_token_url(self) -> str:
        authority = self.tenant_id if self.app_type == SINGLE_TENANT else MULTI_TENANT_AUTHORITY
        return self.token_url.format(tenant=authority)


def settings_from_credentials(
    credentials: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None
) -> BotFrameworkSettings:
    """Build the settings from the credentials.yml block (may be None), filling gaps from `environ`."""
    environ = bot_framework_environment() if environ is None else environ
    values: dict[str, Any] = {
        key: value for key, value in (credentials or {}).items() if value not in (None, "")
    }
    for key, variable in ENVIRONMENT_FALLBACKS.items():
        if key not in values and environ.get(variable):
            values[key] = environ[variable]
    unknown = set(values) - set(BotFrameworkSettings.__dataclass_fields__)
    if unknown:
        raise ValueError(f"Unknown Bot Framework channel settings: {', '.join(sorted(unknown))}")
    values = {key: str(value).strip() if isinstance(value, str) else value for key, value in values.items()}
    if "app_type" not in values:
        values["app_type"] = SINGLE_TENANT if values.get("tenant_id") else MULTI_TENANT
    if values["app_type"] not in (SINGLE_TENANT, MULTI_TENANT):
        raise ValueError(f"app_type must be {SINGLE_TENANT} or {MULTI_TENANT}, not {values['app_type']!r}")
    if values["app_type"] == SINGLE_TENANT and not values.get("tenant_id"):
        raise ValueError("A SingleTenant bot needs tenant_id (MICROSOFT_APP_TENANT_ID)")
    for key in ("leeway_seconds", "key_cache_seconds", "send_attempts"):
        if key in values:
            values[key] = int(values[key])
    if "allow_http_service_url" in values:
        flag = str(values["allow_http_service_url"]).strip().lower()
        values["allow_http_service_url"] = flag in ("true", "1", "yes")
    return BotFrameworkSettings(**values)
