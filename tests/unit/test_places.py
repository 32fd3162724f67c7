"""bot.places: resolving what people type as a place, and finding places in sentences."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from bot import places
from bot.places import (
    distance_km,
    find_place_in_text,
    find_places_in_text,
    municipality_centre,
    municipality_names,
    official_name,
    place_names,
    region_of,
    resolve_place,
)

ROOT = Path(__file__).resolve().parents[2]
POSTALS_CSV = ROOT / "scripts" / "data" / "dk-postals.csv"  # in the repository: no test reads outside it


def _exact(text: str) -> places.Place:
    resolution = resolve_place(text)
    assert resolution.status == "exact", (text, resolution)
    assert resolution.place is not None
    return resolution.place


# ----------------------------------------------------------------- the table itself


def test_table_has_the_98_municipalities_with_region_and_centre() -> None:
    names = municipality_names()
    assert len(names) == 98 == len(set(names))
    for name in names:
        lat, lon = municipality_centre(name)
        assert 54.5 < lat < 57.8 and 8.0 < lon < 15.3, name  # inside Denmark
        assert region_of(name) in {"Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"}


def test_municipality_names_agree_with_the_catalogue_list() -> None:
    listed = yaml.safe_load((ROOT / "bot" / "data" / "municipalities.yml").read_text(encoding="utf-8"))
    regions = {m["name"]: m["region"] for m in listed["municipalities"]}
    assert set(regions) == set(municipality_names())
    assert all(region_of(name) == region for name, region in regions.items())


def test_committed_table_is_what_the_generator_builds(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_places", ROOT / "scripts" / "build_places.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "places.json"
    assert module.main(["--csv", str(POSTALS_CSV), "--out", str(out)]) == 0
    committed = json.loads((ROOT / "bot" / "data" / "places.json").read_text(encoding="utf-8"))
    assert json.loads(out.read_text(encoding="utf-8")) == committed


def test_distance_and_centres() -> None:
    copenhagen, aarhus = municipality_centre("København"), municipality_centre("Aarhus")
    assert 150 < distance_km(copenhagen, aarhus) < 165
    assert distance_km(aarhus, aarhus) == 0
    assert municipality_centre("Atlantis") is None
    assert municipality_centre("Helsingør Kommune") == municipality_centre("helsingoer")
    assert region_of("Aalborg") == "Nordjylland"
    assert region_of("Bornholm") == "Hovedstaden"
    assert official_name("København") == "Københavns Kommune"


def test_place_names_for_lookup_tables() -> None:
    names = place_names()
    for expected in ("Helsingør", "Skagen", "Nørrebro", "Viby", "Aarhus C", "Høje-Taastrup"):
        assert expected in names
    assert "3000" in place_names(kinds=("postcode",))


# ----------------------------------------------------------------- resolve_place


@pytest.mark.parametrize(
    ("text", "kind", "name", "municipality"),
    [
        ("Helsingør", "municipality", "Helsingør", "Helsingør"),
        ("helsingoer", "municipality", "Helsingør", "Helsingør"),
        ("Helsingor", "municipality", "Helsingør", "Helsingør"),
        ("HELSINGØR", "municipality", "Helsingør", "Helsingør"),
        ("Albertslund kommune", "municipality", "Albertslund", "Albertslund"),
        ("Københavns Kommune", "municipality", "København", "København"),
        ("kbh", "municipality", "København", "København"),
        ("København", "municipality", "København", "København"),
        ("Kobenhavn", "municipality", "København", "København"),
        ("Kbh N", "town", "København N", "København"),
        ("3000", "postcode", "3000 Helsingør", "Helsingør"),
        ("på Nørrebro", "district", "Nørrebro", "København"),
        ("Noerrebro", "district", "Nørrebro", "København"),
        ("Østerbro", "district", "Østerbro", "København"),
        ("Valby", "town", "Valby", "København"),
        ("Frederiksberg", "municipality", "Frederiksberg", "Frederiksberg"),
        ("Skagen", "town", "Skagen", "Frederikshavn"),
        ("Tønder", "municipality", "Tønder", "Tønder"),
        ("Toender", "municipality", "Tønder", "Tønder"),
        ("Rønne", "town", "Rønne", "Bornholm"),
        ("Aarhus C", "town", "Aarhus C", "Aarhus"),
        ("Århus", "municipality", "Aarhus", "Aarhus"),
        ("8000", "postcode", "8000 Aarhus C", "Aarhus"),
        ("8000 Aarhus C", "postcode", "8000 Aarhus C", "Aarhus"),
        ("Odense", "municipality", "Odense", "Odense"),
        ("Odense C", "town", "Odense C", "Odense"),
        ("Ålborg", "municipality", "Aalborg", "Aalborg"),
        ("Høje Taastrup", "municipality", "Høje-Taastrup", "Høje-Taastrup"),
        ("hoeje-taastrup", "municipality", "Høje-Taastrup", "Høje-Taastrup"),
        ("Lyngby", "town", "Kongens Lyngby", "Lyngby-Taarbæk"),
        ("Hellerup", "town", "Hellerup", "Gentofte"),
        ("Nordborg", "town", "Nordborg", "Sønderborg"),
        ("Hurup Thy", "town", "Hurup Thy", "Thisted"),
        ("Hurup", "town", "Hurup Thy", "Thisted"),
        ("Nykøbing Falster", "town", "Nykøbing F", "Guldborgsund"),
        ("Esbjerg", "municipality", "Esbjerg", "Esbjerg"),
        ("9990", "postcode", "9990 Skagen", "Frederikshavn"),
        ("6270", "postcode", "6270 Tønder", "Tønder"),
        ("Læsø", "municipality", "Læsø", "Læsø"),
        ("Nordfyn", "municipality", "Nordfyns", "Nordfyns"),
        ("  i nærheden af Hillerød. ", "municipality", "Hillerød", "Hillerød"),
        ("jeg bor i Ishøj", "municipality", "Ishøj", "Ishøj"),
    ],
)
def test_resolve_place_exact(text: str, kind: str, name: str, municipality: str) -> None:
    place = _exact(text)
    assert (place.kind, place.name, place.municipality) == (kind, name, municipality)
    assert place.region == region_of(municipality)


def test_district_spanning_several_municipalities_is_one_place() -> None:
    amager = _exact("Amager")
    assert amager.kind == "district"
    assert amager.municipalities == ("København", "Tårnby", "Dragør")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Hilerød", "Hillerød"),
        ("Helsingøør", "Helsingør"),
        ("Svendborgg", "Svendborg"),
        ("Silkeborj", "Silkeborg"),
        ("Frederikshaven", "Frederikshavn"),
        ("Holstebroo", "Holstebro"),
    ],
)
def test_resolve_place_forgives_small_misspellings(typed: str, meant: str) -> None:
    resolution = resolve_place(typed)
    assert resolution.status == "exact" and resolution.fuzzy
    assert resolution.place.name == meant
    assert resolution.score < 100


@pytest.mark.parametrize("text", ["", "   ", "xyzzy", "blodprøve", "tak", "9999", "0000", "hej med dig"])
def test_resolve_place_not_found(text: str) -> None:
    assert resolve_place(text).status == "not_found"


# ----------------------------------------------------------------- ambiguity, from the data


def _postcodes_in_several_municipalities() -> dict[str, list[str]]:
    table = json.loads(places.PLACES_FILE.read_text(encoding="utf-8"))
    postcodes = table["postcodes"].items()
    return {code: e["municipalities"] for code, e in postcodes if len(e["municipalities"]) > 1}


def test_postcode_in_two_municipalities_is_asked_not_guessed() -> None:
    resolution = resolve_place("2620")
    assert resolution.status == "ambiguous" and resolution.place is None
    assert [c.municipality for c in resolution.candidates] == ["Albertslund", "Brøndby"]
    assert all(c.postcode == "2620" and c.kind == "postcode" for c in resolution.candidates)
    assert resolution.municipalities == ("Albertslund", "Brøndby")
    assert "Brøndby Kommune" in resolution.candidates[1].describe()


def test_every_shared_postcode_gives_all_its_municipalities() -> None:
    shared = _postcodes_in_several_municipalities()
    assert len(shared) > 100  # the PostNord list has many; e.g. 2200, 2300, 2800
    for code, municipalities in shared.items():
        resolution = resolve_place(code)
        assert resolution.status == "ambiguous", code
        assert sorted(c.municipality for c in resolution.candidates) == sorted(municipalities)


def test_shared_postcodes_match_the_source_file() -> None:
    with POSTALS_CSV.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    source: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if int(row["POSTNR"]) >= 1000 and row["ADRESSERINGSNAVN_1"] != "Christiansø":
            source[row["POSTNR"]].add(row["KOMMUNE_NR"])
    assert {code for code, numbers in source.items() if len(numbers) > 1} == set(
        _postcodes_in_several_municipalities()
    )


@pytest.mark.parametrize(
    ("text", "municipalities"),
    [
        ("Viby", {"Aarhus", "Roskilde"}),  # Viby J and Viby Sjælland
        ("Nykøbing", {"Guldborgsund", "Morsø", "Odsherred"}),
        ("Jerslev", {"Brønderslev", "Kalundborg"}),
        ("Tureby", {"Køge", "Faxe", "Stevns"}),  # one town whose postcode spans three municipalities
        ("2200", {"København", "Frederiksberg"}),
    ],
)
def test_town_names_in_several_places_are_candidates(text: str, municipalities: set[str]) -> None:
    resolution = resolve_place(text)
    assert resolution.status == "ambiguous"
    assert {c.municipality for c in resolution.candidates} == municipalities


def test_viby_with_its_letter_is_not_ambiguous() -> None:
    assert _exact("Viby J").municipality == "Aarhus"
    assert _exact("Viby Sjælland").municipality == "Roskilde"


# ----------------------------------------------------------------- places inside sentences


@pytest.mark.parametrize(
    ("sentence", "name", "municipality"),
    [
        ("hvor kan jeg få taget en blodprøve i Helsingør?", "Helsingør", "Helsingør"),
        ("jeg bor i 3000", "3000 Helsingør", "Helsingør"),
        ("hvad med i Hillerød?", "Hillerød", "Hillerød"),
        ("hvad med Hillerød?", "Hillerød", "Hillerød"),
        ("hvad med hillerød", "Hillerød", "Hillerød"),
        ("tandlæge til min mor på plejehjem i Ishøj", "Ishøj", "Ishøj"),
        ("blodprøve i helsingoer", "Helsingør", "Helsingør"),
        ("er der en jordemoder i Skagen?", "Skagen", "Frederikshavn"),
        ("Jeg bor i Tønder og skal bruge en fodterapeut", "Tønder", "Tønder"),
        ("fysioterapeut på Bornholm", "Bornholm", "Bornholm"),
        ("genoptræning i Rønne efter min hofteoperation", "Rønne", "Bornholm"),
        ("jeg bor på Nørrebro", "Nørrebro", "København"),
        ("sygeplejeklinik på Østerbro tak", "Østerbro", "København"),
        ("jeg bor i Albertslund kommune", "Albertslund", "Albertslund"),
        ("i nærheden af Hilerød", "Hillerød", "Hillerød"),
        ("jeg bor i Ry", "Ry", "Skanderborg"),
        ("hvad med Vejen?", "Vejen", "Vejen"),
        ("jeg bor i Vejen", "Vejen", "Vejen"),
        ("Vejen", "Vejen", "Vejen"),
        ("jeg bor i kbh", "København", "København"),
        ("røntgen i Kongens Lyngby", "Kongens Lyngby", "Lyngby-Taarbæk"),
        ("akutklinik nær Frederikssund", "Frederikssund", "Frederikssund"),
        ("jeg bor i 8000 Aarhus C", "8000 Aarhus C", "Aarhus"),
        ("Odense", "Odense", "Odense"),
        ("psykolog i Aalborg", "Aalborg", "Aalborg"),
        ("kan man få genoptræning i Thisted", "Thisted", "Thisted"),
        ("min far bor i Hurup Thy", "Hurup Thy", "Thisted"),
        ("Esbjerg – har I blodprøver?", "Esbjerg", "Esbjerg"),
        ("Hjørring", "Hjørring", "Hjørring"),
        ("jeg bor i Høje-Taastrup", "Høje-Taastrup", "Høje-Taastrup"),
        ("mødregruppe i Holstebro?", "Holstebro", "Holstebro"),
        ("tandlæge i Sønderborg", "Sønderborg", "Sønderborg"),
    ],
)
def test_find_place_in_text(sentence: str, name: str, municipality: str) -> None:
    resolution = find_place_in_text(sentence)
    assert resolution is not None and resolution.status == "exact", (sentence, resolution)
    assert (resolution.place.name, resolution.place.municipality) == (name, municipality)


def test_matched_text_is_shown_as_typed() -> None:
    assert find_place_in_text("blodprøve i helsingoer tak").matched_text == "helsingoer"


def test_ambiguous_place_in_a_sentence_gives_candidates() -> None:
    resolution = find_place_in_text("jeg bor i Viby og skal have taget blod")
    assert resolution.status == "ambiguous"
    assert {c.municipality for c in resolution.candidates} == {"Aarhus", "Roskilde"}
    assert find_place_in_text("min adresse er 2620").status == "ambiguous"
    # With its town the postcode is settled (issue 12): Albertslund, not Brøndby.
    settled = find_place_in_text("min adresse er 2620 Albertslund")
    assert settled.found and settled.place.municipality == "Albertslund"


def test_several_places_in_order() -> None:
    found = find_places_in_text("jeg bor i Helsingør men arbejder i Hillerød")
    assert [r.place.name for r in found] == ["Helsingør", "Hillerød"]
    assert find_place_in_text("jeg bor i Helsingør men arbejder i Hillerød").place.name == "Helsingør"


ORDINARY_SENTENCES = [
    "jeg er på vejen nu",
    "Vejen derhen er lang",
    "jeg har ondt i halsen",
    "hvad koster det?",
    "ring til mig på 3530 3050",
    "vores nummer er 4829 4884",
    "det koster 2000 kr",
    "min mor er født i 1950",
    "jeg skal have taget blodprøve klokken 1000",
    "hej, jeg har brug for hjælp",
    "kan jeg få en tid i morgen?",
    "han har et godt ry",
    "der skal et gram salt i",
    "en rude er gået i stykker",
    "hvad er løsningen?",
    "min løsning er at ringe",
    "jeg skal stege kød i aften",
    "jeg har ondt i maven og tarmen",
    "tak for hjælpen",
    "mit lem gør ondt",
    "jeg vil gerne give en gave",
    "jeg sidder i mørke",
    "kan I ringe mig op?",
    "jeg har brug for en ny hofte",
    "hvornår har I åbent?",
    "jeg vil gerne tale med Flemming",
    "min læge hedder Tim",
    "vi er en lille familie",
    "skal jeg have henvisning?",
    "jeg har hold i ryggen",
    "jeg har brug for en kørestol til min far",
    "det tager en time",
    "kan jeg booke tid online?",
    "min datter har feber",
    "jeg er gravid i uge 12",
    "jeg bor i et hus",
    "vi ses i aften",
    "jeg skal på ferie",
    "hun er i gang med genoptræning",
    "han ligger i sengen",
    "Ringe til lægen er svært",
    "Give mig et øjeblik",
    "jeg har det skidt i tarm og mave",
    "jeg har brug for en tandlæge til min mor på plejehjem",
    "Hvad er jeres åbningstider?",
    "Gram for gram tager jeg på",
]


@pytest.mark.parametrize("sentence", ORDINARY_SENTENCES)
def test_no_place_in_ordinary_sentences(sentence: str) -> None:
    assert find_place_in_text(sentence) is None, find_place_in_text(sentence)


def test_there_are_enough_false_positive_sentences() -> None:
    assert len(ORDINARY_SENTENCES) >= 30


# ----------------------------------------------------- shared normalisation (bot.danish, bot.text)


@pytest.mark.parametrize(
    ("spellings", "skeleton"),
    [
        (["Helsingør", "helsingoer", "Helsingor", "HELSINGØR"], "helsingor"),
        (["Århus", "Aarhus", "arhus"], "arhus"),
        (["tandlæge", "tandlaege", "Tandlæge"], "tandlage"),
        (["Høje-Taastrup", "Høje Taastrup", "hoeje  taastrup"], "hoje tastrup"),
        (["røntgen", "roentgen", "rontgen"], "rontgen"),
    ],
)
def test_fold_brings_spellings_together(spellings: list[str], skeleton: str) -> None:
    from bot.danish import fold

    assert {fold(s) for s in spellings} == {skeleton}


def test_tokenize_keeps_positions() -> None:
    from bot.text import tokenize

    text = "Bor i Høje-Taastrup, 2630."
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["Bor", "i", "Høje", "Taastrup", "2630"]
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert tokens[-1].is_number and tokens[0].is_capitalised


def test_every_name_the_bot_stores_resolves_back() -> None:
    """Slots keep `place.name` and official municipality names; both must resolve again."""
    for municipality in municipality_names():
        assert _exact(official_name(municipality)).name == municipality
    table = json.loads(places.PLACES_FILE.read_text(encoding="utf-8"))
    for town in table["towns"]:
        resolution = resolve_place(town)
        named = [resolution.place] if resolution.place else list(resolution.candidates)
        assert any(p.name == town or p.kind in ("municipality", "district") for p in named), town
        assert find_place_in_text(f"jeg bor i {town}") is not None, town
    for postcode in ("3000", "2620", "8000", "2200"):
        resolution = resolve_place(postcode)
        for candidate in [resolution.place] if resolution.place else resolution.candidates:
            assert places.place_by_key(candidate.key) == candidate  # slots keep the key
            # The name ("2620 Albertslund") is a postcode with its town: the town settles it.
            again = resolve_place(candidate.name)
            assert again.found and again.place.postcode == postcode


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("blodprøve i 3000 Helsingør", "postcode:3000:217"),
        ("blodprøve i Helsingør 3000", "postcode:3000:217"),
        ("genoptræning i 8000 Aarhus C", "postcode:8000:751"),
        ("jeg bor i 4000 Roskilde", "postcode:4000:265"),  # 4000 is also Høje-Taastrup and Lejre
        ("Roskilde 4000", "postcode:4000:265"),
        ("jeg bor i 2620 Brøndby", "postcode:2620:153"),  # the municipality settles 2620 too
        ("6430 Nordborg", "postcode:6430:540"),
    ],
)
def test_a_postcode_with_its_town_settles_the_area(text, key):
    found = find_place_in_text(text)
    assert found is not None and found.found and found.place.key == key


@pytest.mark.parametrize(
    ("text", "key"), [("3000 Helsingør", "postcode:3000:217"), ("4000 Roskilde", "postcode:4000:265")]
)
def test_resolve_place_takes_a_postcode_with_its_town(text, key):
    found = resolve_place(text)
    assert found.found and found.place.key == key


def test_a_postcode_alone_that_spans_municipalities_is_still_ambiguous():
    found = find_place_in_text("jeg bor i 4000")
    assert found is not None and found.is_ambiguous and len(found.candidates) == 3
