"""bot.contact: what people type into forms, good and bad."""

from __future__ import annotations

import pytest

from bot.contact import (
    ROLES,
    ContactError,
    format_danish_phone,
    normalise_danish_phone,
    normalise_email,
    parse_role,
    validate_name,
    validate_note,
    validate_organisation,
    validate_topic,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 34 56 78", "+4512345678"),
        ("12345678", "+4512345678"),
        ("+45 12345678", "+4512345678"),
        ("+4512345678", "+4512345678"),
        ("0045 12 34 56 78", "+4512345678"),
        ("004520304050", "+4520304050"),
        ("12-34-56-78", "+4512345678"),
        ("(+45) 2030 4050", "+4520304050"),
        ("  20 30 40 50  ", "+4520304050"),
    ],
)
def test_good_danish_phone_numbers_become_e164(text: str, expected: str) -> None:
    assert normalise_danish_phone(text) == expected


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("", "ikke skrevet"),
        ("   ", "ikke skrevet"),
        (None, "ikke skrevet"),
        ("abc", "kun indeholde tal"),
        ("2O304050", "kun indeholde tal"),  # a letter O among the digits
        ("ring på 20304050", "kun indeholde tal"),
        ("+46 70 123 45 67", "Kun danske telefonnumre"),
        ("+1 202 555 0100", "Kun danske telefonnumre"),
        ("0046 70 123 45 67", "Kun danske telefonnumre"),
        ("1234567", "8 cifre"),
        ("123456789", "8 cifre"),
        ("1813", "8 cifre"),
        ("+45 00 00 00 00", "8 cifre"),
        ("1" * 10_000, "kun indeholde tal"),
    ],
)
def test_bad_phone_numbers_get_a_danish_explanation(text: str | None, expected_words: str) -> None:
    with pytest.raises(ContactError) as error:
        normalise_danish_phone(text)
    assert expected_words in error.value.message
    assert "fx 12 34 56 78" in str(error.value)  # says what to write instead


def test_phone_is_shown_the_danish_way() -> None:
    assert format_danish_phone("+4512345678") == "12 34 56 78"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("anna@example.dk", "anna@example.dk"),
        ("Anna.Hansen@Example.DK", "anna.hansen@example.dk"),
        ("  per@kommune.dk ", "per@kommune.dk"),
        ("søren@æøå.dk", "søren@æøå.dk"),
    ],
)
def test_good_emails_are_normalised_to_lower_case(text: str, expected: str) -> None:
    assert normalise_email(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "anna",
        "anna@",
        "@example.dk",
        "anna@localhost",
        "anna hansen@example.dk",
        "a" * 10_000 + "@example.dk",
        "😀@😀",
    ],
)
def test_bad_emails_are_refused_in_danish(text: str | None) -> None:
    with pytest.raises(ContactError) as error:
        normalise_email(text)
    assert "navn@eksempel.dk" in error.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna Hansen", "Anna Hansen"),
        ("  Anna   Hansen \n", "Anna Hansen"),
        ("Søren Ærø-Åberg", "Søren Ærø-Åberg"),
        ("Bo", "Bo"),
        ("Anna 2", "Anna 2"),
        ("Du Minh", "Du Minh"),
        ("jeg hedder Anna Hansen", "Anna Hansen"),
        ("Mit navn er Bo Ib.", "Bo Ib"),
        ("det er Kirsten Vilhelmsen", "Kirsten Vilhelmsen"),
        ("Vi Nguyen", "Vi Nguyen"),
        ("Kan Yilmaz", "Kan Yilmaz"),
        ("Herdis Jegindø", "Herdis Jegindø"),
        ("x" * 100, "x" * 100),
    ],
)
def test_good_names(text: str, expected: str) -> None:
    assert validate_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("", "ikke skrevet"),
        ("   ", "ikke skrevet"),
        ("12345678", "bogstaver"),
        ("😀😀😀", "bogstaver"),
        ("👍🏽", "bogstaver"),
        ("!!! ---", "bogstaver"),
        ("x" * 101, "for langt"),
        ("x" * 10_000, "for langt"),
        ("jeg vil ud af det her", "ligner ikke et navn"),
        ("det gider jeg ikke", "ligner ikke et navn"),
        ("hvorfor skal I have det?", "ligner ikke et navn"),
        ("jajamen", "ligner ikke et navn"),
        ("Okay!", "ligner ikke et navn"),
    ],
)
def test_bad_names(text: str, expected_words: str) -> None:
    with pytest.raises(ContactError) as error:
        validate_name(text)
    assert expected_words in error.value.message
    assert "Anna Hansen" in error.value.message


def test_organisation_is_optional_unless_required() -> None:
    assert validate_organisation("  Albertslund   Kommune ") == "Albertslund Kommune"
    assert validate_organisation("") is None
    assert validate_organisation(None) is None
    with pytest.raises(ContactError, match="ikke skrevet en organisation"):
        validate_organisation(" ", required=True)
    with pytest.raises(ContactError, match="for langt"):
        validate_organisation("x" * 10_000)
    with pytest.raises(ContactError, match="bogstaver"):
        validate_organisation("🏥")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kommune", "kommune"),
        ("Kommunen", "kommune"),
        ("Jeg er fra kommunen", "kommune"),
        ("kommmune", "kommune"),
        ("Regionen", "region"),
        ("praksis", "praksis"),
        ("praktiserende læge", "praksis"),
        ("Praktiserende Læge", "praksis"),
        ("almen praksis", "praksis"),
        ("bruger\u00adrepræsentant", "brugerrepraesentant"),  # with a soft hyphen
        ("Brugerrepræsentant", "brugerrepraesentant"),
        ("brugerrepresentant", "brugerrepraesentant"),
        ("borger", "borger"),
        ("Borger.", "borger"),
        ("Praksissektoren (fx praktiserende læge)", "praksis"),  # a button title sent back
    ],
)
def test_roles_are_understood_from_everyday_words(text: str, expected: str) -> None:
    assert parse_role(text) == expected


@pytest.mark.parametrize("text", ["", "hund", "direktør for alting", "😀", "x" * 10_000])
def test_unknown_roles_list_the_choices(text: str) -> None:
    with pytest.raises(ContactError) as error:
        parse_role(text)
    assert "kommune, region, praksissektoren, brugerrepræsentant eller borger" in error.value.message


def test_every_role_has_a_danish_name() -> None:
    assert set(ROLES) == {"kommune", "region", "praksis", "brugerrepraesentant", "borger"}
    for code in ROLES:
        assert parse_role(ROLES[code]) == code


def test_note_is_optional_limited_and_cpr_masked() -> None:
    assert validate_note(None) is None
    assert validate_note("   ") is None
    assert validate_note(" Vegetar ") == "Vegetar"
    assert validate_note("x" * 500) == "x" * 500
    assert validate_note("Mit CPR er 010190-1234") == "Mit CPR er [CPR fjernet]"
    with pytest.raises(ContactError, match="højst 500 tegn"):
        validate_note("x" * 501)
    with pytest.raises(ContactError, match="højst 500 tegn"):
        validate_note("x" * 10_000)


def test_topic_is_required_and_cpr_masked() -> None:
    assert validate_topic("Genoptræning efter  hofteoperation") == "Genoptræning efter hofteoperation"
    assert validate_topic("Spørgsmål om 0101901234") == "Spørgsmål om [CPR fjernet]"
    for bad in ("", "   ", "😀😀", "1234"):
        with pytest.raises(ContactError, match="hvad det drejer sig om"):
            validate_topic(bad)
    with pytest.raises(ContactError, match="for lang"):
        validate_topic("x" * 10_000)
