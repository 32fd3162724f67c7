"""Plain Danish (issue 11, klarsprog): the known cases, and the conventions checked over every text.

Conventions: no jargon; phone numbers grouped ("35 30 30 50", "70 201 201") by one function
(bot.danish.phone_number); times "kl. 8.00–15.30"; dates "mandag 7. december"; one term for one
thing ("fælles indgang", "henvisning", "bestil tid"); buttons and links that stand alone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
import yaml

from bot import answers, urgent_care
from bot.danish import DANISH_TIME, name_in_town, phone_number
from bot.hours import format_time, format_week, holiday_name
from bot.models import Service
from bot.placeholders import real_phone
from bot.settings import PROJECT_ROOT
from bot.wording import all_keys, text


@pytest.mark.parametrize(
    ("name", "town", "expected"),
    [
        ("Sundhedshuset i Nordborg", "Nordborg", "Sundhedshuset i Nordborg"),
        ("Sundhedshuset i Helsingør", "Helsingør", "Sundhedshuset i Helsingør"),
        ("Sundhedshus Nord", "Hillerød", "Sundhedshus Nord i Hillerød"),
        ("Brohuset", "Ishøj", "Brohuset i Ishøj"),
        ("Sundhedshuset Brohuset", None, "Sundhedshuset Brohuset"),
    ],
)
def test_a_house_name_that_holds_its_town_is_not_followed_by_it_again(name, town, expected) -> None:
    assert name_in_town(name, town) == expected


def test_a_referral_note_that_starts_with_henvisning_is_merged_into_the_status() -> None:
    service = Service(referral="required", referral_note="Henvisning fra egen læge eller hospitalet")
    assert answers.referral(service).text == (
        "Kræver henvisning fra egen læge eller hospitalet. "
        "Tal med din egen læge, hvis du ikke har en henvisning"
    )


def test_any_other_referral_note_follows_the_status() -> None:
    service = Service(referral="depends", referral_note="Ring 1813 først")
    assert answers.referral(service).text == "Henvisning kan være nødvendig: Ring 1813 først"


def test_holidays_are_written_in_lower_case_mid_sentence() -> None:
    sentence = text("answers.status.holiday", status="Åbent nu", holiday=holiday_name(date(2026, 12, 25)))
    assert "i dag er det juledag" in sentence and "Juledag" not in sentence


def test_the_role_question_is_a_plain_question_with_the_choices() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    [question] = domain["responses"]["utter_ask_reg_role"]
    assert "Hvilken rolle deltager du i" not in question["text"]
    assert question["text"].startswith("Deltager du for en kommune, en region")


# ------------------------------------------------------------------ the klarsprog conventions
# Every text a user can see: the copy files, and domain.yml's response texts and button titles.
# Each test below checks one convention over all of them, so the pass cannot quietly regress.


def _domain_texts() -> list[tuple[str, str]]:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    found = []
    for name, variants in domain["responses"].items():
        for variant in variants:
            if variant.get("text"):
                found.append((f"domain.yml {name}", variant["text"]))
            found += [(f"domain.yml {name} button", b["title"]) for b in variant.get("buttons", [])]
    return found


USER_TEXTS = [(f"bot/copy {key}", value) for key, value in all_keys()] + _domain_texts()
PLACEHOLDER = re.compile(r"\{\w+\}")
BUTTON_TEXTS = [(where, value) for where, value in USER_TEXTS if "button" in where]


def _violations(pattern: str, texts: list[tuple[str, str]] = USER_TEXTS) -> list[str]:
    """Where `pattern` matches a text; the code's {placeholders} are left out (they are not words)."""
    compiled = re.compile(pattern)
    return [
        f"{where}: …{value[max(0, m.start() - 25) : m.end() + 25]}…"
        for where, raw in texts
        for value in [PLACEHOLDER.sub("{}", raw)]
        for m in compiled.finditer(value)
    ]


def test_the_convention_tests_see_every_copy_file_and_the_domain() -> None:
    files = {where.split()[1].split(".")[0] for where, _ in USER_TEXTS if where.startswith("bot/copy")}
    assert files == {path.stem for path in (PROJECT_ROOT / "bot" / "copy").glob("*.yml")}
    assert any(where.startswith("domain.yml utter_greet") for where, _ in USER_TEXTS)
    assert len(USER_TEXTS) > 250


# Words communications staff replace: jargon, abbreviations, and the English "booke" ("bestille tid").
JARGON = (
    r"(?i)\b(visitation|visiteret|visiteres|udefunktion|fuldt booket|book|booke|bookes|booket|"
    r"tildeles|forespørgsel\w*|ydelse\w*|jf\.|mhp\.|pga\.|ift\.|iht\.|evt\.|vedr\.|bl\.a\.)(?!\w)"
)


def test_no_jargon_or_abbreviations_in_any_text() -> None:
    assert not _violations(JARGON), "\n".join(_violations(JARGON))


def test_phone_numbers_in_texts_are_grouped_and_without_country_code() -> None:
    ungrouped = r"(?<![\d ])\d{8}(?!\d)|\b\d{4} \d{4}\b|\+45"
    assert not _violations(ungrouped), "\n".join(_violations(ungrouped))


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("+45 3530 3050", "35 30 30 50"),
        ("3530 2640", "35 30 26 40"),
        ("+4512345678", "12 34 56 78"),
        ("0045 48 29 48 84", "48 29 48 84"),
        ("70 201 201", "70 201 201"),  # Livslinien's own grouping is kept
        ("70110707", "70 11 07 07"),
        ("1813", "1813"),
        ("112", "112"),
        ("+46 8 123 456 78", "+46 8 123 456 78"),
    ],
)
def test_one_function_writes_every_phone_number_the_danish_way(written: str, shown: str) -> None:
    assert phone_number(written) == shown


def test_every_number_the_assistant_prints_goes_through_the_formatter() -> None:
    """The catalogue's numbers (as the cards show them) and the urgent numbers are all grouped."""
    grouped = re.compile(r"^(\d{2} \d{2} \d{2} \d{2}|\d{2} \d{3} \d{3}|\d{3,4})$")
    catalogue = yaml.safe_load((PROJECT_ROOT / "data" / "catalogue.yml").read_text(encoding="utf-8"))
    written = [
        str(phone)
        for house in catalogue["houses"]
        for phone in [(house.get("entry_point") or {}).get("phone")]
        + [(service.get("booking") or {}).get("phone") for service in house.get("services", [])]
        if phone
    ]
    assert "3530 3050" in written  # the sample catalogue has numbers written in other ways
    shown = [real_phone(phone) for phone in written]
    shown += [number.phone for number in urgent_care.all_numbers()] + [urgent_care.suicide_helpline().phone]
    assert "35 30 30 50" in shown and "70 201 201" in shown
    assert all(grouped.match(phone) for phone in shown if phone), shown


def test_times_are_written_8_00_with_an_en_dash_and_number_ranges_take_an_en_dash() -> None:
    wrong = [
        r"\b\d{1,2}:\d{2}\b",  # 8:00
        r"\bkl\.\s*\d{1,2}(?![.\d])",  # kl. 8
        r"\b0\d\.\d{2}\b",  # 08.00
        r"\d\s?-\s?\d",  # 8-16, uge 8-10: ranges take an en dash
    ]
    problems = [problem for pattern in wrong for problem in _violations(pattern)]
    assert not problems, "\n".join(problems)


def test_the_hours_module_writes_times_the_same_way() -> None:
    hours_map = {"mon": "08:00-15:30", "tue": "08:00-15:30", "wed": "07:00-18:00", "sat": "closed"}
    assert format_week(hours_map) == "man–tir 8.00–15.30; ons 7.00–18.00"
    assert format_time(time(8, 5)) == "8.05"
    moment = datetime(2026, 12, 7, 8, 0, tzinfo=DANISH_TIME)
    assert answers.danish_day(moment) == "mandag 7. december 2026"
    assert answers.event_time(moment, moment.replace(hour=15, minute=30)) == (
        "mandag 7. december 2026 kl. 8.00–15.30"
    )


def test_no_numeric_dates_in_texts() -> None:
    assert not _violations(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")


# One term for one thing, written the same way: capitalised only where a sentence or label starts.
TERMS = ("fælles indgang", "henvisning", "akuttelefonen", "lægevagten", "eksempeldata", "sundhedshus")


def test_a_term_is_capitalised_only_where_a_sentence_or_a_label_starts() -> None:
    problems = []
    for where, value in USER_TEXTS:
        for term in TERMS:
            for match in re.finditer(re.escape(term.capitalize()), value):
                before = value[: match.start()].rstrip(" *_")
                if before and before[-1] not in '.!?:\n("–':
                    problems.append(f"{where}: {value}")
    assert not problems, "\n".join(problems)


def test_the_entry_point_is_always_the_faelles_indgang_and_booking_is_bestil_tid() -> None:
    assert not _violations(r"(?i)(?<!fælles )\bindgang(?!\w)")
    assert not _violations(r"(?i)\bbook")


def test_no_word_is_written_twice_in_a_row() -> None:
    assert not _violations(r"(?i)\b(\w+) \1\b")


def test_buttons_and_links_make_sense_on_their_own() -> None:
    vague = r"(?i)^(her|klik her|læs mere|link|mere|ok|videre|book tid)$"
    assert not _violations(vague, BUTTON_TEXTS)
    assert text("teams.house.book") == "Bestil tid online"
    assert text("teams.house.show_map", house="Sundhedshuset i Helsingør") == (
        "Vis Sundhedshuset i Helsingør på kort"
    )


def test_no_referral_line_repeats_itself_for_any_service_in_the_sample_catalogue() -> None:
    catalogue = yaml.safe_load((PROJECT_ROOT / "data" / "catalogue.yml").read_text(encoding="utf-8"))
    lines = [
        answers.referral(Service(referral=s.get("referral"), referral_note=s.get("referral_note"))).text
        for house in catalogue["houses"]
        for s in house.get("services", [])
    ]
    assert lines
    for line in lines:
        assert "Kræver henvisning. Kræver henvisning" not in line
        assert not re.search(r"(?i)henvisning: henvisning", line), line
        assert not re.search(r"(?i)\b(\w+) \1\b", line), line


def test_the_freshness_line_says_sample_data_when_the_catalogue_has_a_notice() -> None:
    real = answers.updated_note("2026-11-01")
    sample = answers.updated_note("2026-11-01", sample=True)
    assert real == "Oplysningerne er fra sundhedshusenes katalog, opdateret 1. november 2026."
    assert "eksempeldata" in sample and "1. november 2026" in sample
    assert "opdateret" not in sample and "sundhedshusenes katalog" not in sample
    assert answers.updated_note(None, sample=True) == ""
