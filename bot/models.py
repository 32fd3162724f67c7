"""The services database: houses, services, entry points, events, registrations, call-backs.

Hours are stored as the catalogue's own mapping (JSON), so export gives back
exactly what was imported. Date-times are stored in UTC (see `UtcDateTime`).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

Base = declarative_base()


class UtcDateTime(TypeDecorator):
    """Timezone-aware in Python, UTC in the database (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to UtcDateTime")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class CatalogueInfo(Base):
    """One row: the `updated` date of the catalogue last imported."""

    __tablename__ = "catalogue_info"
    id = Column(Integer, primary_key=True)
    version = Column(Integer, nullable=False, default=1)
    updated = Column(String(10), nullable=False)  # ISO date as written in the file
    imported_at = Column(UtcDateTime, nullable=False, default=utcnow)


class House(Base):
    __tablename__ = "houses"
    id = Column(String(100), primary_key=True)
    position = Column(Integer, nullable=False, default=0)  # order in the catalogue
    name = Column(String(200), nullable=False)
    municipality = Column(String(100), nullable=False, index=True)
    street = Column(String(200), nullable=False)
    postcode = Column(String(4), nullable=False, index=True)
    town = Column(String(100), nullable=False)
    serves = Column(JSON, nullable=False, default=list)  # municipality names
    lat = Column(Float)
    lon = Column(Float)
    phone = Column(String(50))
    email = Column(String(200))
    website = Column(String(500))
    opening_hours = Column(JSON)  # catalogue Hours mapping, or None
    notice = Column(Text)  # the catalogue's `notice` (sample data); None: the region's own information

    entry_point = relationship(
        "EntryPoint", uselist=False, back_populates="house", cascade="all, delete-orphan"
    )
    services = relationship(
        "Service",
        back_populates="house",
        cascade="all, delete-orphan",
        order_by="Service.position",
    )


class EntryPoint(Base):
    """The house's single entry point ("én indgang")."""

    __tablename__ = "entry_points"
    house_id = Column(String(100), ForeignKey("houses.id", ondelete="CASCADE"), primary_key=True)
    name = Column(String(200), nullable=False)
    phone = Column(String(50), nullable=False)
    email = Column(String(200))
    hours = Column(JSON)
    note = Column(Text)

    house = relationship("House", back_populates="entry_point")


class Service(Base):
    __tablename__ = "services"
    id = Column(Integer, primary_key=True, autoincrement=True)
    house_id = Column(String(100), ForeignKey("houses.id", ondelete="CASCADE"), nullable=False)
    position = Column(Integer, nullable=False, default=0)
    type = Column(String(50), nullable=False, index=True)  # code from service-types.yml
    name = Column(String(200))
    provider = Column(String(200))
    description = Column(Text)
    hours = Column(JSON)  # None: the house's opening_hours apply
    referral = Column(String(20), nullable=False)  # required | not_required | depends
    referral_note = Column(Text)
    booking_method = Column(String(30), nullable=False)
    booking_phone = Column(String(50))
    booking_url = Column(String(500))
    booking_note = Column(Text)
    audience = Column(JSON)  # None: both citizen and staff

    house = relationship("House", back_populates="services")


class Event(Base):
    __tablename__ = "events"
    id = Column(String(100), primary_key=True)
    position = Column(Integer, nullable=False, default=0)
    title = Column(String(300), nullable=False)
    description = Column(Text)
    start = Column(UtcDateTime, nullable=False)
    end = Column(UtcDateTime, nullable=False)
    # The offsets as written, so export reproduces the file.
    start_raw = Column(String(40), nullable=False)
    end_raw = Column(String(40), nullable=False)
    venue_house_id = Column(String(100), ForeignKey("houses.id", ondelete="SET NULL"))
    venue_name = Column(String(300))
    venue_address = Column(JSON)  # {street, postcode, town} or free text
    audience = Column(JSON)  # None: all audiences
    registration_deadline_raw = Column(String(40), nullable=False)
    registration_deadline = Column(UtcDateTime, nullable=False)  # the last moment one may register
    capacity = Column(Integer)  # None: no limit
    contact = Column(JSON)
    cancelled = Column(Boolean, nullable=False, default=False)
    notice = Column(Text)  # the catalogue's `notice`, as on House

    venue_house = relationship("House")
    registrations = relationship("Registration", back_populates="event")


class Registration(Base):
    """Interest in an event. Never deleted by an import; cancelled rows are kept."""

    __tablename__ = "registrations"
    id = Column(Integer, primary_key=True, autoincrement=True)
    event_id = Column(String(100), ForeignKey("events.id", ondelete="RESTRICT"), nullable=False)
    name = Column(String(200), nullable=False)
    email = Column(String(320), nullable=False)  # normalised, lower-case
    organisation = Column(String(200))
    role = Column(String(40), nullable=False)
    note = Column(Text)
    status = Column(String(20), nullable=False, default="confirmed")  # confirmed | waiting | cancelled
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    cancelled_at = Column(UtcDateTime)
    # "scrypt$salt$hash" of the cancellation code (bot.events.cancel_codes); never the code itself.
    cancel_code_hash = Column(String(200))

    event = relationship("Event", back_populates="registrations")

    __table_args__ = (
        # One active registration per e-mail and event, enforced by the database.
        Index(
            "uq_registration_active_email",
            "event_id",
            "email",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
    )


class CallbackRequest(Base):
    """A citizen asked the entry point to call them back."""

    __tablename__ = "callback_requests"
    id = Column(Integer, primary_key=True, autoincrement=True)
    reference = Column(String(12), nullable=False, unique=True)  # shown to the user, used to withdraw
    name = Column(String(200), nullable=False)
    phone = Column(String(20), nullable=False)  # E.164
    topic = Column(Text, nullable=False)
    house_id = Column(String(100), ForeignKey("houses.id", ondelete="SET NULL"))
    sender_id = Column(String(200))
    consent_at = Column(UtcDateTime, nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    withdrawn_at = Column(UtcDateTime)

    __table_args__ = (UniqueConstraint("reference", name="uq_callback_reference"),)
