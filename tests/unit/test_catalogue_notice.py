"""The catalogue's optional `notice`: validated, imported onto every house and event, exported back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from bot import settings
from bot.catalogue import export_catalogue, import_catalogue, validate_catalogue
from bot.db import session_scope
from bot.models import Event, House

NOTICE = "Eksempeldata: tjek oplysningerne med huset, før du møder op."


def notices(url: str) -> dict[str, str | None]:
    with session_scope(url) as session:
        rows = [*session.scalars(select(House)), *session.scalars(select(Event))]
        return {row.id: row.notice for row in rows}


def test_a_notice_is_valid_and_reaches_every_house_and_event(
    catalogue_data: dict[str, Any], write_catalogue: Callable[..., Path], database_url: str
) -> None:
    catalogue_data["notice"] = NOTICE
    path = write_catalogue(catalogue_data)
    assert validate_catalogue(path) == []
    import_catalogue(path, url=database_url)
    stored = notices(database_url)
    assert stored and set(stored.values()) == {NOTICE}


def test_without_a_notice_nothing_is_marked(
    catalogue_data: dict[str, Any], write_catalogue: Callable[..., Path], database_url: str
) -> None:
    import_catalogue(write_catalogue(catalogue_data), url=database_url)
    assert set(notices(database_url).values()) == {None}
    assert "notice" not in yaml.safe_load(export_catalogue(database_url))


def test_reimport_without_the_notice_removes_it(
    catalogue_data: dict[str, Any], write_catalogue: Callable[..., Path], database_url: str
) -> None:
    import_catalogue(write_catalogue({**catalogue_data, "notice": NOTICE}), url=database_url)
    result = import_catalogue(write_catalogue(catalogue_data), url=database_url)
    assert result.changed and set(notices(database_url).values()) == {None}


def test_invalid_notices_are_reported_with_where_and_what(
    catalogue_data: dict[str, Any], write_catalogue: Callable[..., Path]
) -> None:
    cases = ((["a", "b"], "skal være tekst"), ("   ", "må ikke være tom"), ("x" * 400, "højst 300 tegn"))
    for bad, what in cases:
        errors = [str(e) for e in validate_catalogue(write_catalogue({**catalogue_data, "notice": bad}))]
        assert len(errors) == 1 and errors[0].startswith("notice") and what in errors[0], errors


def test_export_import_with_a_notice_is_a_no_op(
    catalogue_data: dict[str, Any], write_catalogue: Callable[..., Path], database_url: str, tmp_path: Path
) -> None:
    import_catalogue(write_catalogue({**catalogue_data, "notice": NOTICE}), url=database_url)
    exported = export_catalogue(database_url)
    assert yaml.safe_load(exported)["notice"] == NOTICE
    again = tmp_path / "again.yml"
    again.write_text(exported, encoding="utf-8")
    assert not import_catalogue(again, url=database_url).changed
    assert export_catalogue(database_url) == exported


def test_the_sample_catalogue_says_it_is_sample_data() -> None:
    document = yaml.safe_load(settings.SAMPLE_CATALOGUE.read_text(encoding="utf-8"))
    assert "Eksempeldata" in document["notice"]


def test_placeholders_are_recognised() -> None:
    from bot.placeholders import real_email, real_phone, real_url

    assert real_phone("+45 00 00 00 00") is None and real_phone("00000000") is None
    assert real_phone(None) is None
    assert real_phone("+45 48 29 48 84") == "48 29 48 84" and real_phone("1813") == "1813"
    assert real_email("indgang@example.invalid") is None and real_email("a@b.dk") == "a@b.dk"
    assert real_url("https://example.invalid/book") is None and real_url("https://blodproever.dk") is not None
