"""Issue 12 over REST, on a catalogue the model never saw: six invented houses in all five regions
(tests/five_regions.py), imported through the real CLI `python -m bot catalogue import FILE --replace`
into the running assistant's database, and the earlier content put back afterwards (export, then
import of the export with --replace)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot import settings
from tests.conftest import new_sender
from tests.e2e.test_callbacks import requests_of
from tests.five_regions import NOTICE, write_catalogue

WAY_OUT = "Du kan prøve igen, tale med et menneske eller stoppe"


def cli(database_url: str, *args: str) -> str:
    env = dict(os.environ, DATABASE_URL=database_url)
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=settings.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def five_regions(rasa_stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("five-regions")
    before = work / "before.yml"
    cli(rasa_stack.database_url, "catalogue", "export", str(before))
    imported = cli(rasa_stack.database_url, "catalogue", "import", str(write_catalogue(work / "five.yml")),
                   "--replace")  # fmt: skip
    assert "6 nye" in imported, imported
    try:
        yield rasa_stack.database_url
    finally:
        cli(rasa_stack.database_url, "catalogue", "import", str(before), "--replace")


def ask(rasa_stack, message: str, sender: str | None = None) -> str:
    return rasa_stack.texts(message, sender or new_sender())


# ------------------------------------------------------------------ houses named by name


@pytest.mark.parametrize(
    ("question", "house", "address"),
    [
        ("Hvor ligger Kildebrohuset?", "Kildebrohuset", "Opdigtet Testvej 1, 3400 Hillerød"),
        ("Hvad er adressen på Fjordlyshuset?", "Fjordlyshuset", "Opdigtet Testvej 3, 4000 Roskilde"),
        ("hvor ligger havnelyshusset", "Havnelyshuset", "Opdigtet Testvej 4, 5000 Odense C"),  # misspelt
        ("Hvor ligger sundhedshuset i Skagen?", "Sundhedshuset Grenen", "Opdigtet Testvej 6, 9990 Skagen"),
        # "sundhedscenter" is also a word for prevention: the house named so comes first
        ("Hvor ligger sundhedscentret i Skagen?", "Sundhedshuset Grenen", "Opdigtet Testvej 6, 9990 Skagen"),
        ("hvor ligger Skagen sundhedscenter", "Sundhedshuset Grenen", "Opdigtet Testvej 6, 9990 Skagen"),
        # "<by> sundhedshus" (session 33: asked "Hvad leder du efter?" instead)
        (
            "er der åbent i Roskilde sundhedshus i påsken",
            "Fjordlyshuset",
            "Opdigtet Testvej 3, 4000 Roskilde",
        ),
    ],
)
def test_where_is_a_house_named_by_name(rasa_stack, five_regions, question, house, address):
    text = ask(rasa_stack, question)
    assert house in text and address in text, text
    assert "openstreetmap.org" in text and NOTICE in text
    assert f"Vis {house} på kort" in text, text  # the house's card, not a service of it


@pytest.mark.parametrize("question", ["Hvad er nummeret til Kildebrohuset?", "hvad er tlf til kildebrohuset"])
def test_the_number_of_a_house_named_by_name_is_its_entry_point(rasa_stack, five_regions, question):
    # Read as "what does the house offer" by model f2818b1213d7 (held-out set 25): the card with the
    # entry point, not the list of services.
    text = ask(rasa_stack, question)
    assert "Kildebrohusets indgang (testdata)" in text, text
    assert "Prøvetagning i Kildebro" not in text and NOTICE in text


@pytest.mark.parametrize(
    ("question", "services"),
    [
        ("Hvad tilbyder Åbrinkhuset?", ["Blodprøver ved åen", "Sundt vægttab ved åen"]),
        ("Hvad tilbyder Havnelyshuset?", ["Psykologhjælp på havnen", "Vandgymnastik for gigtramte"]),
        ("Hvad tilbyder sundhedshuset i Roskilde?", ["Jordemødrene ved fjorden", "Akutklinik Fjordlys"]),
        ("Hvad tilbyder sundhedscentret i Roskilde?", ["Jordemødrene ved fjorden", "Akutklinik Fjordlys"]),
    ],
)
def test_what_a_house_named_by_name_offers(rasa_stack, five_regions, question, services):
    text = ask(rasa_stack, question)
    for service in services:
        assert service in text, text


def test_a_local_service_name_from_the_catalogue(rasa_stack, five_regions):
    text = ask(rasa_stack, "hvor kan jeg gå til vandgymnastik i Odense?")
    assert "Havnelyshuset" in text and "Vandgymnastik for gigtramte" in text, text


# ------------------------------------------------------------------ postcode with town


@pytest.mark.parametrize(
    ("question", "house"),
    [
        ("hvor kan jeg få taget en blodprøve i 3400 Hillerød?", "Kildebrohuset"),
        ("jordemoder i 4000 Roskilde", "Fjordlyshuset"),
        ("jeg bor i Roskilde 4000 og skal bruge en jordemoder", "Fjordlyshuset"),
        ("blodprøve i 8000 Aarhus C", "Åbrinkhuset"),
        ("genoptræning i 4000", "Fjordlyshuset"),  # three municipalities, the same nearest house
    ],
)
def test_a_postcode_with_its_town_is_answered_without_a_question(rasa_stack, five_regions, question, house):
    text = ask(rasa_stack, question)
    assert "findes flere steder" not in text and house in text, text


def test_a_postcode_spanning_municipalities_is_asked_about_when_the_answer_differs(rasa_stack, five_regions):
    sender = new_sender()
    replies = rasa_stack.send("jordemoder i 4000", sender)
    buttons = {b["title"]: b["payload"] for r in replies for b in r.get("buttons") or []}
    assert any("Høje-Taastrup" in title for title in buttons), replies
    payload = next(p for title, p in buttons.items() if "Høje-Taastrup" in title)
    assert "Mosegårdshuset" in rasa_stack.texts(payload, sender)


# ------------------------------------------------------------------ honest distance


def test_far_in_another_region_is_said_and_a_related_service_at_home_is_offered(rasa_stack, five_regions):
    text = ask(rasa_stack, "jeg vil gerne have hjælp til at tabe mig, jeg bor i Skagen")
    assert "i nærheden af Skagen" in text and "i Region Midtjylland" in text, text
    # Prevention is municipal: the far house is for its own citizens, so its card is not shown.
    assert "er for borgere i andre kommuner" in text and "Åbrinkhuset" not in text, text
    assert "Bor du i Frederikshavn Kommune, så kontakt kommunen" in text
    assert "Tættere på: I Skagen tilbyder Sundhedshuset Grenen" in text
    assert "Kostvejledning ved Grenen" in text


def test_far_over_the_sea_in_the_same_region_gives_the_distance(rasa_stack, five_regions):
    text = ask(rasa_stack, "hvor kan jeg få taget en blodprøve i Rønne?")
    assert "i nærheden af Rønne" in text and "km væk:" in text and "Kildebrohuset" in text, text


def test_a_neighbour_is_not_called_far(rasa_stack, five_regions):
    text = ask(rasa_stack, "hvor kan jeg få taget en blodprøve i Fredensborg?")
    assert "Kildebrohuset" in text and "i nærheden af" not in text, text


def test_what_a_house_offers_where_there_is_none_and_all_are_far(rasa_stack, five_regions):
    # No house on Bornholm; the nearest (Hillerød, Taastrup, Roskilde) are 150 km or more over the sea.
    text = ask(rasa_stack, "hvad tilbyder sundhedshuset i Rønne?")
    assert "Der er ikke et sundhedshus i Rønne eller i nærheden" in text, text
    assert "Kildebrohuset (Hillerød, ca. " in text and "km væk" in text
    assert "Fjordlyshuset (Roskilde, ca. " in text and "i Region Sjælland)" in text  # another region
    assert NOTICE in text


def test_the_person_who_will_ring_gets_the_number_not_the_call_back_form(rasa_stack, five_regions):
    sender = new_sender()
    text = ask(rasa_stack, "kan jeg ringe direkte til jordemoderen i Roskilde?", sender)
    assert "Fjordlyshusets indgang (testdata)" in text, text
    assert "Hvad er dit fulde navn?" not in text and "Hvilket telefonnummer skal vi ringe til?" not in text
    assert requests_of(rasa_stack.database_url, sender) == []


# ------------------------------------------------------------------ akutpladser (staff)


def test_a_staff_question_about_an_akutplads_gets_the_akutplads_entry_point(rasa_stack, five_regions):
    sender = new_sender()
    asked = ask(rasa_stack, "hvem ringer jeg til om en akutplads?", sender)
    assert "Hvilket sundhedshus" in asked, asked
    text = ask(rasa_stack, "Hillerød", sender)
    assert "Kommunale akutpladser Nord" in text and "Kildebrohusets indgang (testdata)" in text, text
    assert "Akutklinik" not in text


# ------------------------------------------------------------------ the way out's "a person" without a place


def test_a_person_from_the_way_out_with_no_place_known_does_not_loop(rasa_stack, five_regions):
    sender = new_sender()
    rasa_stack.texts("kan I ringe mig op?", sender)
    assert "Hvilket telefonnummer" in rasa_stack.texts("Carla Eksempel", sender)
    rasa_stack.texts("1234", sender)
    assert WAY_OUT in rasa_stack.texts("tolv toogtredive", sender)
    person = rasa_stack.texts("/contact_entry_point", sender)
    assert "Hvilket sundhedshus vil du kontakte?" in person, person
    place = rasa_stack.texts("Hillerød", sender)
    # The place is taken as the place: the entry point, then the form's question, no way out again.
    assert "Kildebrohusets indgang (testdata)" in place and "Hvilket telefonnummer" in place, place
    assert WAY_OUT not in place
    assert "Intet er gemt" in rasa_stack.texts("/stop", sender)
    assert requests_of(rasa_stack.database_url, sender) == []
