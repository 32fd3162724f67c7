"""The Teams app package: a manifest Teams accepts and icons of the sizes it demands."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest

from bot.channels.teams_manifest import main
from tests.channels.activities import APP_ID

ARGS = [
    "--app-id", APP_ID, "--host", "https://bot.example.dk/",
    "--website-url", "https://example.dk", "--privacy-url", "https://example.dk/privatliv",
    "--terms-url", "https://example.dk/vilkaar",
]  # fmt: skip


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_package_holds_manifest_and_icons_at_its_root(tmp_path: Path) -> None:
    out = tmp_path / "teams-app.zip"
    assert main([*ARGS, "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        assert png_size(package.read("color.png")) == (192, 192)
        assert png_size(package.read("outline.png")) == (32, 32)
    assert manifest["id"] == APP_ID
    assert manifest["bots"][0]["botId"] == APP_ID
    assert manifest["validDomains"] == ["bot.example.dk"]
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["description"]["short"]) <= 80


@pytest.mark.parametrize(
    "change, problem",
    [(["--app-id", "ikke-et-guid"], "GUID"), (["--privacy-url", "http://example.dk/p"], "https")],
)
def test_bad_input_is_refused_in_danish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: list[str], problem: str
) -> None:
    assert main([*ARGS, *change, "--out", str(tmp_path / "x.zip")]) == 2
    error = capsys.readouterr().err
    assert "Kan ikke bygge Teams-pakken" in error and problem in error
    assert not (tmp_path / "x.zip").exists()
