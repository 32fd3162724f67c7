"""Plain-Danish details of the composed answers, and placeholders never shown as contacts."""

from __future__ import annotations

from bot import answers
from bot.models import EntryPoint, House, Service


def test_the_town_is_not_repeated_when_the_name_has_it() -> None:
    assert answers.house_with_town(House(name="Sundhedshuset i Nordborg", town="Nordborg")) == (
        "Sundhedshuset i Nordborg"
    )
    assert answers.house_with_town(House(name="Brohuset", town="Ishøj")) == "Brohuset i Ishøj"


def test_holiday_names_are_written_as_in_a_sentence() -> None:
    assert answers.holiday_in_sentence("Juledag") == "juledag"
    assert answers.holiday_in_sentence("Kristi Himmelfartsdag") == "Kristi himmelfartsdag"


def test_a_placeholder_number_is_never_given_as_one_to_call() -> None:
    service = Service(booking_method="phone", booking_phone="+45 00 00 00 00", booking_note="Ring før kl. 12")
    line = answers.booking_line(service)
    assert "00 00" not in line and answers.PHONE_NOT_GIVEN in line and "Ring før kl. 12" in line
    assert answers.booking_summary(service) == f"Ring og bestil tid ({answers.PHONE_NOT_GIVEN})"
    real = Service(booking_method="phone", booking_phone="48 29 48 84")
    assert "på tlf. 48 29 48 84" in answers.booking_line(real)


def test_placeholder_contacts_are_left_out_of_the_entry_point_line() -> None:
    entry = EntryPoint(name="Sundhedshusets indgang", phone="+45 00 00 00 00", email="a@example.invalid")
    line = answers.entry_point_line(entry)
    assert line == f"Sundhedshusets indgang ({answers.PHONE_NOT_GIVEN})"
    assert answers.contact_text({"email": "x@example.invalid"}) == "sundhedshusets fælles indgang"


def test_the_blood_test_note_says_lægepraksis() -> None:
    assert "i lægepraksis" in answers.PROCESS_NOTES["blodproever"]
