"""bot.callbacks on a real SQLite database: create, withdraw, list, export, purge, command line."""

from __future__ import annotations

import argparse
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot import callbacks
from bot.callbacks import (
    ConsentError,
    WithdrawStatus,
    create_callback,
    export_callbacks_csv,
    list_callbacks,
    normalise_reference,
    withdraw_callback,
)
from bot.cli import callbacks as callbacks_cli
from bot.contact import ContactError
from bot.db import get_engine, session_scope
from bot.models import Base, CallbackRequest

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2027, 2, 1, 10, 0, tzinfo=CPH)


@pytest.fixture
def db_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'callbacks.db'}"
    Base.metadata.create_all(get_engine(url))
    return url


def _count(url: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(CallbackRequest))


def test_create_validates_normalises_masks_and_gives_a_reference(db_url: str) -> None:
    request = create_callback(
        db_url,
        "  Anna  Hansen ",
        "12 34 56 78",
        "Genoptræning, mit CPR er 010190-1234",
        sender_id="web-123",
        now=NOW,
    )
    assert re.fullmatch(r"RB-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}", request.reference)
    assert (request.name, request.phone) == ("Anna Hansen", "+4512345678")
    assert request.topic == "Genoptræning, mit CPR er [CPR fjernet]"
    with session_scope(db_url) as session:
        stored = session.scalars(select(CallbackRequest)).one()
        assert (stored.reference, stored.phone, stored.topic, stored.sender_id) == (
            request.reference,
            "+4512345678",
            "Genoptræning, mit CPR er [CPR fjernet]",
            "web-123",
        )
        assert stored.consent_at == NOW and stored.withdrawn_at is None


@pytest.mark.parametrize(
    ("name", "phone", "topic"),
    [
        ("", "12345678", "Genoptræning"),
        ("😀", "12345678", "Genoptræning"),
        ("Anna", "+46 70 123 45 67", "Genoptræning"),
        ("Anna", "ring mig", "Genoptræning"),
        ("Anna", "12345678", ""),
        ("Anna", "12345678", "x" * 10_000),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(db_url: str, name: str, phone: str, topic: str) -> None:
    with pytest.raises(ContactError):
        create_callback(db_url, name, phone, topic)
    assert _count(db_url) == 0


def test_no_consent_no_storage(db_url: str) -> None:
    with pytest.raises(ConsentError) as error:
        create_callback(db_url, "Anna", "12345678", "Genoptræning", consent=False)
    assert "gemme dit navn og telefonnummer" in error.value.message
    assert _count(db_url) == 0


def test_reference_collision_is_retried(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    first = create_callback(db_url, "Anna", "12345678", "Genoptræning")
    codes = iter([first.reference, first.reference, "RB-2345"])
    monkeypatch.setattr(callbacks, "new_reference", lambda: next(codes))
    second = create_callback(db_url, "Bo", "20304050", "Blodprøver")
    assert second.reference == "RB-2345"
    assert _count(db_url) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RB-7K3Q", "RB-7K3Q"),
        ("rb 7k3q", "RB-7K3Q"),
        ("7k3q", "RB-7K3Q"),
        (" RB7K3Q ", "RB-7K3Q"),
        ("RB-7K3", None),
        ("RB-0O1I", None),
        ("", None),
        (None, None),
    ],
)
def test_reference_is_read_tolerantly(text: str | None, expected: str | None) -> None:
    assert normalise_reference(text) == expected


def test_withdraw_by_reference_with_or_without_phone(db_url: str) -> None:
    request = create_callback(db_url, "Anna", "12345678", "Genoptræning")
    code = request.reference[3:].lower()
    assert withdraw_callback(db_url, code, phone="+45 20 30 40 50").status == WithdrawStatus.NOT_FOUND
    assert withdraw_callback(db_url, code, phone="ikke et nummer").status == WithdrawStatus.NOT_FOUND
    assert withdraw_callback(db_url, code, phone="12 34 56 78") == callbacks.WithdrawResult(
        WithdrawStatus.WITHDRAWN, request.reference
    )
    assert withdraw_callback(db_url, request.reference).status == WithdrawStatus.ALREADY_WITHDRAWN
    assert withdraw_callback(db_url, "RB-ZZZZ").status == WithdrawStatus.NOT_FOUND
    assert withdraw_callback(db_url, "noget helt andet").status == WithdrawStatus.NOT_FOUND


def test_list_and_export(db_url: str) -> None:
    older = create_callback(db_url, "Søren Ærø", "12345678", "=1+1 genoptræning", house_id=None, now=NOW)
    newer = create_callback(db_url, "Bo", "20304050", "Blodprøver", now=NOW + timedelta(hours=1))
    withdraw_callback(db_url, newer.reference)

    assert [r.reference for r in list_callbacks(db_url)] == [older.reference]
    assert [r.reference for r in list_callbacks(db_url, include_withdrawn=True)] == [
        older.reference,
        newer.reference,
    ]
    with session_scope(db_url) as session:  # also with the caller's own session
        assert [r.name for r in list_callbacks(session)] == ["Søren Ærø"]

    text = export_callbacks_csv(db_url, include_withdrawn=True)
    lines = text.splitlines()
    assert lines[0] == "\ufeffReference,Oprettet (dansk tid),Navn,Telefon,Emne,Hus,Status"
    assert lines[1] == f"{older.reference},01-02-2027 10:00,Søren Ærø,12 34 56 78,'=1+1 genoptræning,,Venter"
    assert lines[2].endswith("Trukket tilbage")
    # What was deleted on withdrawal says so, instead of blank cells staff would wonder about.
    assert f"{newer.reference},01-02-2027 11:00,(slettet),(slettet),(slettet)," in lines[2]


def test_purge_after_retention_period(db_url: str) -> None:
    create_callback(db_url, "Anna", "12345678", "Genoptræning", now=NOW)
    assert callbacks.purge_expired_callbacks(db_url, now=NOW + timedelta(days=29)) == 0
    assert callbacks.purge_expired_callbacks(db_url, now=NOW + timedelta(days=31)) == 1
    assert _count(db_url) == 0


def _run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    callbacks_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_list_export_withdraw(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert _run_cli(["callbacks", "list"]) == 0
    assert "Der er ingen anmodninger om opkald." in capsys.readouterr().out

    request = create_callback(db_url, "Anna Hansen", "12345678", "Genoptræning", now=NOW)
    assert _run_cli(["callbacks", "list"]) == 0
    out = capsys.readouterr().out
    assert request.reference in out and "12 34 56 78" in out and "Venter" in out

    assert _run_cli(["callbacks", "export", "--csv"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffReference,")

    assert _run_cli(["callbacks", "withdraw", request.reference.lower()]) == 0
    assert f"Anmodningen {request.reference} er trukket tilbage." in capsys.readouterr().out
    assert _run_cli(["callbacks", "list"]) == 0
    assert request.reference not in capsys.readouterr().out
    assert _run_cli(["callbacks", "list", "--all"]) == 0
    assert "Trukket tilbage" in capsys.readouterr().out

    assert _run_cli(["callbacks", "withdraw", "RB-ZZZZ"]) == 2
    assert "Der findes ingen anmodning med referencen 'RB-ZZZZ'" in capsys.readouterr().err


def test_a_request_submitted_twice_is_stored_once(db_url: str) -> None:
    first = create_callback(db_url, "Anna Hansen", "12 34 56 78", "Genoptræning", sender_id="web-1", now=NOW)
    retry = create_callback(
        db_url, "Anna Hansen", "12345678", "Genoptræning", sender_id="web-1", now=NOW + timedelta(minutes=1)
    )
    assert retry.reference == first.reference
    assert _count(db_url) == 1
    other_topic = create_callback(db_url, "Anna Hansen", "12345678", "Recept", sender_id="web-1", now=NOW)
    later = create_callback(
        db_url, "Anna Hansen", "12345678", "Genoptræning", sender_id="web-1", now=NOW + timedelta(hours=2)
    )
    other_chat = create_callback(
        db_url, "Anna Hansen", "12345678", "Genoptræning", sender_id="web-2", now=NOW
    )
    assert len({first.reference, other_topic.reference, later.reference, other_chat.reference}) == 4
    assert _count(db_url) == 4


def test_withdrawing_by_conversation_needs_the_conversation_that_made_it(db_url: str) -> None:
    request = create_callback(db_url, "Anna Hansen", "12345678", "Recept", sender_id="web-1", now=NOW)
    result = withdraw_callback(db_url, request.reference, sender_id="web-someone-else")
    assert result.status == WithdrawStatus.NOT_FOUND
    assert withdraw_callback(db_url, request.reference, sender_id="web-1").status == WithdrawStatus.WITHDRAWN
