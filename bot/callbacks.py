"""Call-back requests: a citizen asks the entry point ("én indgang") to ring them.

Everything is validated again here (never trust the caller), the topic has
CPR numbers masked, and nothing is stored without consent. Each request gets
a short reference ("RB-7K3Q") the person can quote to withdraw it.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.contact import (
    ContactError,
    format_danish_phone,
    normalise_danish_phone,
    validate_name,
    validate_topic,
)
from bot.csv_export import personal_cell, write_csv
from bot.danish import format_datetime
from bot.models import CallbackRequest, utcnow
from bot.privacy import CALLBACK_RETENTION_DAYS
from bot.transactions import SessionOrUrl, read_session, write_session

REFERENCE_PREFIX = "RB-"
# No 0/O, 1/I/L: a reference is read aloud and typed back. 31**4 ≈ 920,000 codes.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 4
_REFERENCE_ATTEMPTS = 20


class ConsentError(ContactError):
    """The person has not agreed that we store their details."""


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(text: str | None) -> str | None:
    """ "rb 7k3q", "RB-7K3Q", "7k3q" -> "RB-7K3Q"; None when it cannot be a reference."""
    compact = re.sub(r"[\s\-_.]", "", (text or "").upper())
    compact = compact.removeprefix(REFERENCE_PREFIX.rstrip("-"))
    if len(compact) != REFERENCE_LENGTH or any(ch not in REFERENCE_ALPHABET for ch in compact):
        return None
    return REFERENCE_PREFIX + compact


def create_callback(
    session_or_url: SessionOrUrl,
    name: str,
    phone: str,
    topic: str,
    house_id: str | None = None,
    sender_id: str | None = None,
    consent: bool = True,
    now: datetime | None = None,
) -> CallbackRequest:
    """Store a call-back request and return it (detached, all fields loaded).

    Raises ConsentError without consent and ContactError for bad input, both with
    a Danish message for the user.
    """
    if consent is not True:
        raise ConsentError(
            "Vi kan kun gemme din forespørgsel, hvis du siger ja til, at vi må gemme dit navn og "
            "telefonnummer. Skriv ja, hvis det er i orden."
        )
    name = validate_name(name)
    phone = normalise_danish_phone(phone)
    topic = validate_topic(topic)  # masks CPR numbers
    moment = now or utcnow()
    for _ in range(_REFERENCE_ATTEMPTS):
        reference = new_reference()
        try:
            with write_session(session_or_url, serialise_sqlite=True) as session:
                duplicate = _same_request(session, name, phone, topic, sender_id, moment)
                if duplicate is not None:
                    return duplicate  # a retry (e.g. after a timeout) stores nothing new
                if session.scalar(select(CallbackRequest.id).where(CallbackRequest.reference == reference)):
                    continue
                request = CallbackRequest(
                    reference=reference,
                    name=name,
                    phone=phone,
                    topic=topic,
                    house_id=house_id,
                    sender_id=sender_id,
                    consent_at=moment,
                    created_at=moment,
                )
                session.add(request)
        except IntegrityError:
            continue  # a concurrent writer took the same code between our check and commit
        return request
    raise RuntimeError("no free call-back reference found")


# The same request from the same conversation within this time is one request submitted twice.
DUPLICATE_WINDOW = timedelta(minutes=30)


def _same_request(
    session: Session, name: str, phone: str, topic: str, sender_id: str | None, moment: datetime
) -> CallbackRequest | None:
    if not sender_id:
        return None
    return session.scalars(
        select(CallbackRequest).where(
            CallbackRequest.sender_id == sender_id,
            CallbackRequest.name == name,
            CallbackRequest.phone == phone,
            CallbackRequest.topic == topic,
            CallbackRequest.withdrawn_at.is_(None),
            CallbackRequest.created_at >= moment - DUPLICATE_WINDOW,
        )
    ).first()


class WithdrawStatus(str, Enum):
    WITHDRAWN = "withdrawn"
    ALREADY_WITHDRAWN = "already_withdrawn"
    NOT_FOUND = "not_found"  # also when the phone does not match: we do not reveal that the reference exists


@dataclass(frozen=True)
class WithdrawResult:
    status: WithdrawStatus
    reference: str | None = None


def withdraw_callback(
    session_or_url: SessionOrUrl,
    reference: str,
    phone: str | None = None,
    now: datetime | None = None,
    sender_id: str | None = None,
) -> WithdrawResult:
    """Withdraw a request by its reference; when `phone` is given it must be the request's number,
    when `sender_id` is given the request must come from that conversation."""
    normalised = normalise_reference(reference)
    if normalised is None:
        return WithdrawResult(WithdrawStatus.NOT_FOUND)
    expected_phone = None
    if phone is not None:
        try:
            expected_phone = normalise_danish_phone(phone)
        except ContactError:
            return WithdrawResult(WithdrawStatus.NOT_FOUND, normalised)
    with write_session(session_or_url) as session:
        request = session.scalars(
            select(CallbackRequest).where(CallbackRequest.reference == normalised)
        ).first()
        if (
            request is None
            or (expected_phone is not None and request.phone != expected_phone)
            or (sender_id is not None and request.sender_id != sender_id)
        ):
            return WithdrawResult(WithdrawStatus.NOT_FOUND, normalised)
        if request.withdrawn_at is not None:
            return WithdrawResult(WithdrawStatus.ALREADY_WITHDRAWN, normalised)
        request.withdrawn_at = now or utcnow()
        # Withdrawing deletes what the person told us; the reference and the time stay, so a second
        # withdrawal is answered truthfully ("already withdrawn").
        request.name = request.phone = request.topic = ""
        return WithdrawResult(WithdrawStatus.WITHDRAWN, normalised)


def list_callbacks(session: SessionOrUrl, include_withdrawn: bool = False) -> list[CallbackRequest]:
    """Requests, oldest first (the order to ring them back in)."""
    query = select(CallbackRequest).order_by(CallbackRequest.created_at, CallbackRequest.id)
    if not include_withdrawn:
        query = query.where(CallbackRequest.withdrawn_at.is_(None))
    with read_session(session) as db:
        requests = list(db.scalars(query))
        if not isinstance(session, Session):
            for request in requests:
                db.expunge(request)  # usable after the session closes (all columns are loaded)
        return requests


CALLBACK_CSV_HEADINGS = ["Reference", "Oprettet (dansk tid)", "Navn", "Telefon", "Emne", "Hus", "Status"]


def callback_status_name(request: CallbackRequest) -> str:
    return "Trukket tilbage" if request.withdrawn_at is not None else "Venter"


def export_callbacks_csv(session: SessionOrUrl, include_withdrawn: bool = False, delimiter: str = ",") -> str:
    """CSV for staff (UTF-8 with BOM; see bot.csv_export.write_csv). Phones as "12 34 56 78"."""
    return write_csv(
        CALLBACK_CSV_HEADINGS,
        (
            [
                r.reference,
                format_datetime(r.created_at),
                personal_cell(r.name, r.withdrawn_at is not None),
                personal_cell(format_danish_phone(r.phone), r.withdrawn_at is not None),
                personal_cell(r.topic, r.withdrawn_at is not None),
                r.house_id,
                callback_status_name(r),
            ]
            for r in list_callbacks(session, include_withdrawn)
        ),
        delimiter,
    )


def purge_expired_callbacks(
    session_or_url: SessionOrUrl, now: datetime | None = None, days: int = CALLBACK_RETENTION_DAYS
) -> int:
    """Delete requests older than `days`, the retention period (see bot.privacy)."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    with write_session(session_or_url) as session:
        result = session.execute(delete(CallbackRequest).where(CallbackRequest.created_at < cutoff))
        return result.rowcount or 0
