"""Build bot/data/places.json, the project's own place table.

Reads PostNord's postcode list (`;`-separated, UTF-8 with BOM: region,
municipality number and name, postcode, town) and writes the derived form the
bot reads at run time: municipalities (with an approximate centre, used only to
rank houses by distance), postcodes, towns, a few well-known districts and
spelling aliases. The CSV itself is not copied in.

    .venv/bin/python scripts/build_places.py [--csv PATH] [--out PATH]

Towns that are also ordinary Danish words ("Ry", "Gram", "Hals", "Løsning")
are flagged `common_word`, using spaCy's Danish lemma tables as the word list,
so the bot only takes them for places when the sentence makes that clear.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.danish import fold  # noqa: E402

DEFAULT_CSV = ROOT / "scripts" / "data" / "dk-postals.csv"  # PostNord's list, kept in the repository
DEFAULT_OUT = ROOT / "bot" / "data" / "places.json"

# Short names as used in the catalogue (`municipality: Albertslund`), where the
# official name is not simply "<name> Kommune".
SHORT_NAME = {"Københavns Kommune": "København"}
NOT_MUNICIPALITIES = {"Christiansø"}  # run by the state, not one of the 98

# Approximate centre (main town) of each municipality. Used only to rank houses
# by distance; never shown to anyone.
CENTRES: dict[str, tuple[float, float]] = {
    "København": (55.676, 12.568),
    "Frederiksberg": (55.679, 12.532),
    "Ballerup": (55.731, 12.363),
    "Brøndby": (55.648, 12.418),
    "Dragør": (55.593, 12.672),
    "Gentofte": (55.750, 12.550),
    "Gladsaxe": (55.733, 12.489),
    "Glostrup": (55.666, 12.401),
    "Herlev": (55.724, 12.439),
    "Albertslund": (55.657, 12.355),
    "Hvidovre": (55.642, 12.475),
    "Høje-Taastrup": (55.650, 12.270),
    "Lyngby-Taarbæk": (55.771, 12.504),
    "Rødovre": (55.681, 12.454),
    "Ishøj": (55.615, 12.352),
    "Tårnby": (55.630, 12.600),
    "Vallensbæk": (55.623, 12.385),
    "Furesø": (55.800, 12.360),
    "Allerød": (55.870, 12.357),
    "Fredensborg": (55.976, 12.404),
    "Helsingør": (56.036, 12.611),
    "Hillerød": (55.927, 12.300),
    "Hørsholm": (55.881, 12.501),
    "Rudersdal": (55.830, 12.470),
    "Egedal": (55.780, 12.186),
    "Frederikssund": (55.839, 12.069),
    "Greve": (55.583, 12.300),
    "Køge": (55.458, 12.182),
    "Halsnæs": (55.969, 12.014),
    "Roskilde": (55.642, 12.080),
    "Solrød": (55.535, 12.220),
    "Gribskov": (56.030, 12.250),
    "Odsherred": (55.870, 11.600),
    "Holbæk": (55.717, 11.713),
    "Faxe": (55.256, 12.118),
    "Kalundborg": (55.681, 11.089),
    "Ringsted": (55.443, 11.790),
    "Slagelse": (55.402, 11.354),
    "Stevns": (55.330, 12.330),
    "Sorø": (55.432, 11.555),
    "Lejre": (55.600, 11.930),
    "Lolland": (54.780, 11.300),
    "Næstved": (55.229, 11.760),
    "Guldborgsund": (54.769, 11.874),
    "Vordingborg": (55.009, 11.911),
    "Bornholm": (55.120, 14.850),
    "Middelfart": (55.506, 9.731),
    "Assens": (55.270, 9.900),
    "Faaborg-Midtfyn": (55.170, 10.370),
    "Kerteminde": (55.449, 10.657),
    "Nyborg": (55.313, 10.790),
    "Odense": (55.396, 10.388),
    "Svendborg": (55.059, 10.608),
    "Nordfyns": (55.520, 10.250),
    "Langeland": (54.940, 10.720),
    "Ærø": (54.870, 10.400),
    "Haderslev": (55.250, 9.488),
    "Billund": (55.740, 9.020),
    "Sønderborg": (54.909, 9.792),
    "Tønder": (54.933, 8.866),
    "Esbjerg": (55.476, 8.459),
    "Fanø": (55.420, 8.410),
    "Varde": (55.621, 8.481),
    "Vejen": (55.481, 9.140),
    "Aabenraa": (55.044, 9.418),
    "Fredericia": (55.566, 9.752),
    "Horsens": (55.861, 9.850),
    "Kolding": (55.490, 9.472),
    "Vejle": (55.709, 9.536),
    "Herning": (56.139, 8.974),
    "Holstebro": (56.360, 8.616),
    "Lemvig": (56.548, 8.310),
    "Struer": (56.491, 8.589),
    "Syddjurs": (56.280, 10.500),
    "Norddjurs": (56.420, 10.750),
    "Favrskov": (56.300, 10.050),
    "Odder": (55.973, 10.153),
    "Randers": (56.460, 10.036),
    "Silkeborg": (56.170, 9.545),
    "Samsø": (55.870, 10.620),
    "Skanderborg": (56.034, 9.930),
    "Aarhus": (56.157, 10.211),
    "Ikast-Brande": (56.050, 9.150),
    "Ringkøbing-Skjern": (56.020, 8.370),
    "Hedensted": (55.770, 9.780),
    "Morsø": (56.795, 8.730),
    "Skive": (56.567, 9.027),
    "Thisted": (56.957, 8.695),
    "Viborg": (56.453, 9.402),
    "Brønderslev": (57.270, 9.946),
    "Frederikshavn": (57.441, 10.537),
    "Vesthimmerlands": (56.820, 9.400),
    "Læsø": (57.260, 11.000),
    "Rebild": (56.860, 9.870),
    "Mariagerfjord": (56.670, 9.950),
    "Jammerbugt": (57.130, 9.550),
    "Aalborg": (57.048, 9.919),
    "Hjørring": (57.464, 9.982),
}

# Towns whose postcode reaches into neighbouring municipalities while the town
# itself lies in one: the town's own municipality. Towns not named here and not
# named after their municipality are left ambiguous (the bot asks).
TOWN_HOME = {
    "København V": "København",
    "København N": "København",
    "København S": "København",
    "Valby": "København",
    "Vanløse": "København",
    "Hedehusene": "Høje-Taastrup",
    "Karlslunde": "Greve",
    "Skovlunde": "Ballerup",
    "Kastrup": "Tårnby",
    "Kongens Lyngby": "Lyngby-Taarbæk",
    "Virum": "Lyngby-Taarbæk",
    "Holte": "Rudersdal",
    "Søborg": "Gladsaxe",
    "Bagsværd": "Gladsaxe",
    "Hellerup": "Gentofte",
    "Klampenborg": "Gentofte",
    "Vedbæk": "Rudersdal",
    "Kokkedal": "Fredensborg",
    "Espergærde": "Helsingør",
    "Hornbæk": "Helsingør",
    "Helsinge": "Gribskov",
    "Græsted": "Gribskov",
    "Frederiksværk": "Halsnæs",
    "Ølsted": "Halsnæs",
    "Skævinge": "Hillerød",
    "Birkerød": "Rudersdal",
    "Kvistgård": "Helsingør",
    "Værløse": "Furesø",
    "Farum": "Furesø",
    "Lynge": "Allerød",
    "Slangerup": "Frederikssund",
    "Veksø Sjælland": "Egedal",
    "Tune": "Greve",
    "Viby Sjælland": "Roskilde",
    "Borup": "Køge",
    "Herlufmagle": "Næstved",
    "Fjenneslev": "Sorø",
    "Jystrup Midtsj": "Ringsted",
    "Munke Bjergby": "Sorø",
    "Fuglebjerg": "Næstved",
    "Dalmose": "Slagelse",
    "Sandved": "Næstved",
    "Høng": "Kalundborg",
    "Ruds Vedby": "Sorø",
    "Dianalund": "Sorø",
    "Stenlille": "Sorø",
    "Hvalsø": "Lejre",
    "Tølløse": "Holbæk",
    "Kirke Eskilstrup": "Holbæk",
    "Store Merløse": "Holbæk",
    "Jyderup": "Holbæk",
    "Snertinge": "Kalundborg",
    "Svebølle": "Kalundborg",
    "Hørve": "Odsherred",
    "Føllenslev": "Kalundborg",
    "Havdrup": "Solrød",
    "Lille Skensved": "Køge",
    "Hårlev": "Stevns",
    "Karise": "Faxe",
    "Rønnede": "Faxe",
    "Holmegaard": "Næstved",
    "Haslev": "Faxe",
    "Tappernøje": "Næstved",
    "Lundby": "Vordingborg",
    "Øster Ulslev": "Guldborgsund",
    "Maribo": "Lolland",
    "Munkebo": "Kerteminde",
    "Blommenslyst": "Odense",
    "Vissenbjerg": "Assens",
    "Ullerslev": "Nyborg",
    "Langeskov": "Kerteminde",
    "Aarup": "Assens",
    "Millinge": "Faaborg-Midtfyn",
    "Vester Skerninge": "Svendborg",
    "Stenstrup": "Svendborg",
    "Kværndrup": "Faaborg-Midtfyn",
    "Ørbæk": "Nyborg",
    "Gislev": "Faaborg-Midtfyn",
    "Ferritslev Fyn": "Faaborg-Midtfyn",
    "Hesselager": "Svendborg",
    "Egtved": "Vejle",
    "Viuf": "Kolding",
    "Christiansfeld": "Kolding",
    "Hejls": "Kolding",
    "Nordborg": "Sønderborg",
    "Toftlund": "Tønder",
    "Agerskov": "Tønder",
    "Bevtoft": "Haderslev",
    "Sommersted": "Haderslev",
    "Vorbasse": "Billund",
    "Rødding": "Vejen",
    "Holsted": "Vejen",
    "Hovborg": "Vejen",
    "Føvling": "Vejen",
    "Gørding": "Esbjerg",
    "Agerbæk": "Varde",
    "Årre": "Varde",
    "Ansager": "Varde",
    "Nørre Nebel": "Varde",
    "Ølgod": "Varde",
    "Tarm": "Ringkøbing-Skjern",
    "Kibæk": "Herning",
    "Ørnhøj": "Herning",
    "Ulfborg": "Holstebro",
    "Tørring": "Hedensted",
    "Grindsted": "Billund",
    "Sønder Omme": "Billund",
    "Sønder Felding": "Herning",
    "Give": "Vejle",
    "Brande": "Ikast-Brande",
    "Ejstrupholm": "Ikast-Brande",
    "Hampen": "Ikast-Brande",
    "Bording": "Ikast-Brande",
    "Engesvang": "Ikast-Brande",
    "Sunds": "Herning",
    "Karup J": "Viborg",
    "Vildbjerg": "Herning",
    "Haderup": "Herning",
    "Hjerm": "Struer",
    "Vemb": "Holstebro",
    "Bækmarksbro": "Lemvig",
    "Hurup Thy": "Thisted",
    "Vinderup": "Holstebro",
    "Højslev": "Skive",
    "Malling": "Aarhus",
    "Hørning": "Skanderborg",
    "Trige": "Aarhus",
    "Hinnerup": "Favrskov",
    "Hammel": "Favrskov",
    "Galten": "Skanderborg",
    "Sabro": "Aarhus",
    "Sporup": "Favrskov",
    "Hornslet": "Syddjurs",
    "Ryomgård": "Syddjurs",
    "Kolind": "Syddjurs",
    "Trustrup": "Norddjurs",
    "Nimtofte": "Syddjurs",
    "Kjellerup": "Silkeborg",
    "Sorring": "Silkeborg",
    "Ans By": "Silkeborg",
    "Bryrup": "Silkeborg",
    "Ry": "Skanderborg",
    "Brædstrup": "Horsens",
    "Gedved": "Horsens",
    "Flemming": "Hedensted",
    "Nørre Snede": "Ikast-Brande",
    "Stenderup": "Hedensted",
    "Hornsyld": "Hedensted",
    "Rødkærsbro": "Viborg",
    "Bjerringbro": "Viborg",
    "Ulstrup": "Favrskov",
    "Langå": "Randers",
    "Thorsø": "Favrskov",
    "Fårvang": "Silkeborg",
    "Auning": "Norddjurs",
    "Havndal": "Randers",
    "Fårup": "Randers",
    "Svenstrup J": "Aalborg",
    "Nibe": "Aalborg",
    "Gistrup": "Aalborg",
    "Kongerslev": "Aalborg",
    "Hjallerup": "Brønderslev",
    "Dronninglund": "Brønderslev",
    "Asaa": "Brønderslev",
    "Dybvad": "Frederikshavn",
    "Hals": "Aalborg",
    "Sulsted": "Aalborg",
    "Vadum": "Aalborg",
    "Aabybro": "Jammerbugt",
    "Løkken": "Hjørring",
    "Hobro": "Mariagerfjord",
    "Arden": "Mariagerfjord",
    "Støvring": "Rebild",
    "Suldrup": "Rebild",
    "Mariager": "Mariagerfjord",
    "Hadsund": "Mariagerfjord",
    "Aars": "Vesthimmerlands",
    "Nørager": "Rebild",
    "Aalestrup": "Vesthimmerlands",
    "Gedsted": "Vesthimmerlands",
    "Møldrup": "Viborg",
    "Løgstør": "Vesthimmerlands",
    "Jerslev J": "Brønderslev",
    "Østervrå": "Frederikshavn",
    "Vrå": "Hjørring",
    "Tårs": "Hjørring",
    "Sindal": "Hjørring",
    "Bindslev": "Hjørring",
    "Ålbæk": "Frederikshavn",
    "Fredericia": "Fredericia",
}

# Well-known districts and areas people name instead of a town or postcode.
DISTRICTS: dict[str, dict] = {
    "Nørrebro": {"municipalities": ["København"], "postcodes": ["2200"]},
    "Østerbro": {"municipalities": ["København"], "postcodes": ["2100"]},
    "Nordhavn": {"municipalities": ["København"], "postcodes": ["2150"]},
    "Vesterbro": {"municipalities": ["København"], "postcodes_of_town": "København V"},
    "Indre By": {"municipalities": ["København"], "postcodes_of_town": "København K"},
    "Christianshavn": {"municipalities": ["København"], "postcodes": []},
    "Amager": {"municipalities": ["København", "Tårnby", "Dragør"], "postcodes": ["2300", "2770", "2791"]},
    "Amager Øst": {"municipalities": ["København"], "postcodes": ["2300"]},
    "Amager Vest": {"municipalities": ["København"], "postcodes": ["2300"]},
    "Islands Brygge": {"municipalities": ["København"], "postcodes": ["2300"]},
    "Ørestad": {"municipalities": ["København"], "postcodes": ["2300"]},
    "Sundby": {"municipalities": ["København"], "postcodes": ["2300"]},
    "Brønshøj": {"municipalities": ["København"], "postcodes": ["2700"]},
    "Husum": {"municipalities": ["København"], "postcodes": ["2700"]},
    "Bispebjerg": {"municipalities": ["København"], "postcodes": ["2400"]},
    "Nordvest": {"municipalities": ["København"], "postcodes": ["2400"]},
    "Emdrup": {"municipalities": ["København"], "postcodes": ["2400"]},
    "Sydhavnen": {"municipalities": ["København"], "postcodes": ["2450"], "aliases": ["Sydhavn"]},
    "Kongens Enghave": {"municipalities": ["København"], "postcodes": ["2450"]},
    "Gellerup": {"municipalities": ["Aarhus"], "postcodes": ["8220"]},
    "Trøjborg": {"municipalities": ["Aarhus"], "postcodes": ["8000"]},
    "Frederiksbjerg": {"municipalities": ["Aarhus"], "postcodes": ["8000"]},
    "Vollsmose": {"municipalities": ["Odense"], "postcodes": ["5240"]},
    "Als": {"municipalities": ["Sønderborg"], "postcodes": []},
    "Mors": {"municipalities": ["Morsø"], "postcodes": []},
    "Falster": {"municipalities": ["Guldborgsund"], "postcodes": []},
    "Djursland": {"municipalities": ["Norddjurs", "Syddjurs"], "postcodes": []},
    "Thy": {"municipalities": ["Thisted"], "postcodes": []},
}

# Other ways of writing a place: alias -> (kind, name). Spellings with aa/å, oe/ø
# and ae/æ ("Århus", "Aalborg") need no alias: matching folds them together.
ALIASES: dict[str, tuple[str, str]] = {
    "Kbh": ("municipality", "København"),
    "Kbh.": ("municipality", "København"),
    "Cph": ("municipality", "København"),
    "Copenhagen": ("municipality", "København"),
    "Kjøbenhavn": ("municipality", "København"),
    "Københavns": ("municipality", "København"),
    "Nordfyn": ("municipality", "Nordfyns"),
    "Vesthimmerland": ("municipality", "Vesthimmerlands"),
    "Lyngby": ("town", "Kongens Lyngby"),
    "Frederiksberg C": ("town", "Frederiksberg C"),
}

# Town-name endings that only tell which part of the country or which part of a
# city: "Viby J", "Nykøbing F", "Aarhus C". The bare name is also accepted.
_SUFFIX = re.compile(
    r"\s+(J|Sj|Sjælland|F|M|L|Fyn|Jyll|Thy|Vestj|Midtsj|Stevns|Djurs|Sydfyn|St|By|Ærø"
    r"|C|K|N|NV|NØ|S|SV|SØ|V|Ø|Øst|Strand|Kyst)$"
)
_SPELLED_OUT = {" F": " Falster", " M": " Mors", " Sj": " Sjælland", " J": " Jylland"}

# Town names that are ordinary words or first names but missing from the lemma list.
EXTRA_COMMON_WORDS = {
    "them",
    "ans",
    "tim",
    "flemming",
    "vester",
    "hald",
    "lille",
    "store",
    "borre",
    "humble",
    "arden",
    "mern",
    "oure",
    "vils",
    "nyrup",
    "dalby",
    "ørsted",
    "balle",
    "tune",
    "give",
    "lem",
    "fur",
    "gesten",
    "hasle",
    "sunds",
    "skals",
    "tarm",
    "ringe",
    "rude",
    "stege",
    "vig",
    "karby",
    "melby",
    "hammel",
}


def region_short(region: str) -> str:
    return region.removeprefix("Region ").strip()


def municipality_short(official: str) -> str:
    return SHORT_NAME.get(official, official.removesuffix(" Kommune").strip())


def load_rows(csv_path: Path) -> list[dict[str, str]]:
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def danish_word_forms() -> set[str]:
    """Every word form in spaCy's Danish lemma table (a broad list of ordinary words)."""
    try:
        import spacy_lookups_data
        import srsly
    except ImportError:  # the flags then rest on EXTRA_COMMON_WORDS alone
        return set()
    path = Path(spacy_lookups_data.__file__).parent / "data" / "da_lemma_lookup.json.gz"
    table = srsly.read_gzip_json(path)
    # Proper nouns in the table are capitalised; ordinary words are lower-case.
    return {form for form in table if form.islower()}


def is_common_word(name: str, word_forms: set[str]) -> bool:
    """A one-word place name that is also an ordinary word ("Vejen", "Ry", "Mors")."""
    return " " not in name and "-" not in name and name.lower() in word_forms


def base_name(town: str) -> str:
    return _SUFFIX.sub("", town).strip()


def home_municipality(town: str, municipalities: list[str]) -> str | None:
    if len(municipalities) == 1:
        return municipalities[0]
    if town in TOWN_HOME:
        return TOWN_HOME[town]
    town_key = fold(town)
    named_after = [m for m in municipalities if town_key.startswith(fold(m))]
    return named_after[0] if len(named_after) == 1 else None


def build(csv_path: Path) -> dict:
    rows = load_rows(csv_path)
    municipalities: dict[str, dict] = {}
    postcode_munis: dict[str, list[str]] = defaultdict(list)
    postcode_town: dict[str, str] = {}
    town_munis: dict[str, list[str]] = defaultdict(list)
    town_postcodes: dict[str, list[str]] = defaultdict(list)

    for row in rows:
        official = row["ADRESSERINGSNAVN_1"].strip()
        if official in NOT_MUNICIPALITIES:
            continue
        name = municipality_short(official)
        municipalities.setdefault(
            name,
            {
                "number": int(row["KOMMUNE_NR"]),
                "official_name": official,
                "region": region_short(row["ADRESSERINGSNAVN"]),
            },
        )
        postcode = row["POSTNR"].strip()
        # Below 1000 are business and sorting-centre postcodes ("H&M", "Udland").
        if int(postcode) < 1000:
            continue
        town = row["BYNAVN"].strip()
        postcode_town[postcode] = town
        if name not in postcode_munis[postcode]:
            postcode_munis[postcode].append(name)
        if name not in town_munis[town]:
            town_munis[town].append(name)
        if postcode not in town_postcodes[town]:
            town_postcodes[town].append(postcode)

    missing = sorted(set(municipalities) - set(CENTRES))
    extra = sorted(set(CENTRES) - set(municipalities))
    if missing or extra or len(municipalities) != 98:
        raise SystemExit(f"municipality list mismatch: missing centres {missing}, unknown {extra}")
    for name, centre in CENTRES.items():
        municipalities[name]["lat"], municipalities[name]["lon"] = centre

    word_forms = danish_word_forms() | EXTRA_COMMON_WORDS
    for name, entry in municipalities.items():
        entry["common_word"] = is_common_word(name, word_forms)
    towns: dict[str, dict] = {}
    for town, munis in sorted(town_munis.items()):
        home = home_municipality(town, munis)
        names = {town, base_name(town)}
        for short, long in _SPELLED_OUT.items():
            if town.endswith(short):
                names.add(town.removesuffix(short) + long)
        towns[town] = {
            "municipalities": [home] if home else munis,
            "postcode_municipalities": munis,
            "postcodes": sorted(town_postcodes[town]),
            "names": sorted(names - {town}),
            "common_word": any(is_common_word(n, word_forms) for n in names),
        }

    postcodes: dict[str, dict] = {}
    for postcode in sorted(postcode_munis):
        town = postcode_town[postcode]
        munis = postcode_munis[postcode]
        home = home_municipality(town, munis)
        ordered = ([home] if home in munis else []) + [m for m in munis if m != home]
        postcodes[postcode] = {"town": town, "municipalities": ordered}

    districts: dict[str, dict] = {}
    for name, spec in DISTRICTS.items():
        codes = spec.get("postcodes") or []
        if "postcodes_of_town" in spec:
            codes = towns[spec["postcodes_of_town"]]["postcodes"]
        for muni in spec["municipalities"]:
            if muni not in municipalities:
                raise SystemExit(f"district {name}: unknown municipality {muni}")
        districts[name] = {
            "municipalities": spec["municipalities"],
            "postcodes": sorted(codes),
            "names": spec.get("aliases", []),
            "common_word": is_common_word(name, word_forms),
        }

    for alias, (kind, target) in ALIASES.items():
        table = {"municipality": municipalities, "town": towns}[kind]
        if target not in table:
            raise SystemExit(f"alias {alias}: unknown {kind} {target}")

    return {
        "version": 1,
        "source": "Derived from PostNord's postcode list (October 2020), ISC licence; "
        "municipality centres are approximate and used only for ranking by distance.",
        "municipalities": municipalities,
        "postcodes": postcodes,
        "towns": towns,
        "districts": districts,
        "aliases": {alias: {"kind": kind, "name": target} for alias, (kind, target) in ALIASES.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Byg stedtabellen bot/data/places.json")
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    table = build(args.csv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(table, ensure_ascii=False, indent=1)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(
        f"{args.out}: {len(table['municipalities'])} kommuner, {len(table['postcodes'])} postnumre, "
        f"{len(table['towns'])} byer, {len(table['districts'])} bydele"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
