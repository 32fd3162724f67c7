"""Build the Teams app package (manifest.json + two icons, zipped) to sideload or upload.

    .venv/bin/python -m bot.channels.teams_manifest --host bot.example.dk \\
        --website-url https://example.dk --privacy-url https://example.dk/privatliv \\
        --terms-url https://example.dk/vilkaar --out var/teams-app.zip

The app id defaults to MICROSOFT_APP_ID (the bot's Entra app registration).
The icons are plain placeholders (a coloured square, a white outline); replace them with
the organisation's own when you have them (--color-icon, --outline-icon).
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import uuid
import zipfile
import zlib
from pathlib import Path
from typing import Any

from bot.settings import bot_framework_environment

MANIFEST_VERSION = "1.17"
SCHEMA = (
    f"https://developer.microsoft.com/en-us/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
)
ACCENT_COLOR = "#1F6F8B"
COLOR_ICON_SIZE = 192
OUTLINE_ICON_SIZE = 32


def build_manifest(
    app_id: str,
    host: str,
    developer_name: str,
    website_url: str,
    privacy_url: str,
    terms_url: str,
    version: str = "1.0.0",
) -> dict[str, Any]:
    try:
        uuid.UUID(app_id)  # Teams requires a GUID; better to say so here than at upload
    except ValueError:
        raise ValueError(f"app-id skal være botens app-id (et GUID), ikke {app_id!r}") from None
    for url in (website_url, privacy_url, terms_url):
        if not url.startswith("https://"):
            raise ValueError(f"Teams kræver https-adresser i manifestet: {url}")
    host = re.sub(r"^https?://", "", host).strip("/")
    return {
        "$schema": SCHEMA,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {
            "name": developer_name,
            "websiteUrl": website_url,
            "privacyUrl": privacy_url,
            "termsOfUseUrl": terms_url,
        },
        "name": {"short": "Sundhedshuse", "full": "Sundhedshusenes digitale assistent"},
        "description": {
            "short": "Find ud af, hvor du skal henvende dig i sundhedshusene.",
            "full": (
                "Assistenten svarer på, hvor du kan få fx blodprøver, genoptræning, jordemoder "
                "eller tandpleje, hvornår der er åbent, om du skal have henvisning, og hvilke "
                "arrangementer der er i sundhedshusene. Skriv ikke dit CPR-nummer eller "
                "oplysninger om dit helbred i chatten."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT_COLOR,
        "bots": [
            {
                "botId": app_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": False,
                "isNotificationOnly": False,
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
    }


def write_package(
    manifest: dict[str, Any], out: Path, color_icon: Path | None = None, outline_icon: Path | None = None
) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        # Teams wants the three files at the root of the zip, not in a folder.
        package.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        package.writestr(
            "color.png",
            color_icon.read_bytes() if color_icon else _png(COLOR_ICON_SIZE, _rgb(ACCENT_COLOR) + (255,)),
        )
        package.writestr(
            "outline.png", outline_icon.read_bytes() if outline_icon else _outline_png(OUTLINE_ICON_SIZE)
        )
    return out


def _rgb(hex_color: str) -> tuple[int, int, int]:
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _png(size: int, rgba: tuple[int, ...], pixel=None) -> bytes:
    """A size x size RGBA PNG; `pixel(x, y)` may give each pixel, else all are `rgba`."""
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y) if pixel else rgba) for x in range(size)) for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _outline_png(size: int) -> bytes:
    """Teams' outline icon: white on transparent. A two-pixel white frame."""

    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        edge = min(x, y, size - 1 - x, size - 1 - y)
        return (255, 255, 255, 255) if 2 <= edge <= 3 else (0, 0, 0, 0)

    return _png(size, (0, 0, 0, 0), pixel)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Byg Teams-app-pakken (manifest.json og ikoner i en zip-fil)."
    )
    app_id = bot_framework_environment().get("MICROSOFT_APP_ID", "")
    parser.add_argument("--app-id", default=app_id, help="bot app id (GUID)")
    parser.add_argument("--host", required=True, help="the public host name of the Rasa server")
    parser.add_argument("--developer-name", default="Sundhedshusene")
    parser.add_argument("--website-url", required=True)
    parser.add_argument("--privacy-url", required=True)
    parser.add_argument("--terms-url", required=True)
    parser.add_argument("--version", default="1.0.0", help="raise it for every new upload")
    parser.add_argument("--color-icon", type=Path)
    parser.add_argument("--outline-icon", type=Path)
    parser.add_argument("--out", type=Path, default=Path("var/teams-app.zip"))
    args = parser.parse_args(argv)
    try:
        manifest = build_manifest(
            args.app_id, args.host, args.developer_name, args.website_url, args.privacy_url,
            args.terms_url, args.version,
        )  # fmt: skip
    except ValueError as error:
        print(f"Kan ikke bygge Teams-pakken: {error}", file=sys.stderr)
        return 2
    path = write_package(manifest, args.out, args.color_icon, args.outline_icon)
    print(f"Teams-pakken er skrevet: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
