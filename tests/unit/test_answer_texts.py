"""Placeholders in sample data are never shown as contacts; plain-Danish details of the answers."""

from __future__ import annotations

from bot import answers, card_text
from bot.models import EntryPoint, Service


def test_a_placeholder_number_is_never_given_as_one_to_call() -> None:
    service = Service(
        booking_method="phone", booking_phone="+45 00 00 00 00", booking_url="https://example.invalid/b"
    )
    booking = answers.booking(service)
    assert booking.phone is None and booking.url is None
    real = answers.booking(Service(booking_method="phone", booking_phone="48 29 48 84"))
    assert real.phone == "48 29 48 84"


def test_placeholder_contacts_are_left_out_of_the_entry_point() -> None:
    entry = EntryPoint(name="Sundhedshusets indgang", phone="+45 00 00 00 00", email="a@example.invalid")
    info = answers.entry_point_info(entry)
    assert info.phone is None and info.email is None
    line = card_text.entry_point_line(info)
    assert line == f"Sundhedshusets indgang ({answers.PHONE_NOT_GIVEN})" and "00 00" not in line
    assert answers.contact_text({"email": "x@example.invalid"}) == answers.contact_text(None)


def test_the_blood_test_note_says_lægepraksis_and_no_note_names_1813() -> None:
    assert "i lægepraksis" in answers.process_note("blodproever")
    assert answers.process_note("akutklinik") is None  # the region's number: actions/services.py
