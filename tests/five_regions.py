"""A catalogue the tests write themselves: one or two invented houses in each of the five regions.

REAL town names, postcodes and municipalities (so places, regions and distances are real), but
clearly invented house names, streets and local service names, marked as test data by `notice`.
The model was never trained on these names: they must be understood at answer time.
"""

from __future__ import annotations

from pathlib import Path

NOTICE = "Testdata: opdigtede huse til automatiske test, ikke rigtige oplysninger."

# house id -> (name, municipality, street, postcode, town, region)
HOUSES = {
    "test-kildebro": ("Kildebrohuset", "Hillerød", "Opdigtet Testvej 1", "3400", "Hillerød", "Hovedstaden"),
    "test-taastrup": ("Mosegårdshuset", "Høje-Taastrup", "Opdigtet Testvej 2", "2630", "Taastrup",
                      "Hovedstaden"),
    "test-fjordlys": ("Fjordlyshuset", "Roskilde", "Opdigtet Testvej 3", "4000", "Roskilde", "Sjælland"),
    "test-havnelys": ("Havnelyshuset", "Odense", "Opdigtet Testvej 4", "5000", "Odense C", "Syddanmark"),
    "test-aabrink": ("Åbrinkhuset", "Aarhus", "Opdigtet Testvej 5", "8000", "Aarhus C", "Midtjylland"),
    "test-grenen": ("Sundhedshuset Grenen", "Frederikshavn", "Opdigtet Testvej 6", "9990", "Skagen",
                    "Nordjylland"),
}  # fmt: skip

# house id -> services as catalogue YAML lines (type, local name, audience)
SERVICES = {
    "test-kildebro": [
        ("blodproever", "Prøvetagning i Kildebro", None),
        ("akutpladser", "Kommunale akutpladser Nord", ["staff"]),
        ("fysioterapi", "Varmtvandsbassin Kildebro", None),
    ],
    "test-taastrup": [("jordemoder", "Jordemoderkonsultation Mosegård", None)],
    "test-fjordlys": [
        ("jordemoder", "Jordemødrene ved fjorden", None),
        ("genoptraening", "Genoptræning ved fjorden", None),
        ("akutklinik", "Akutklinik Fjordlys", None),
    ],
    "test-havnelys": [
        ("psykolog", "Psykologhjælp på havnen", None),
        ("genoptraening", "Vandgymnastik for gigtramte", None),
    ],
    "test-aabrink": [
        ("blodproever", "Blodprøver ved åen", None),
        ("forebyggelse", "Sundt vægttab ved åen", None),
    ],
    "test-grenen": [
        ("diaetist", "Kostvejledning ved Grenen", None),
        ("sygeplejeklinik", "Sygeplejeklinik Grenen", None),
    ],
}


def _service(code: str, name: str, audience: list[str] | None) -> str:
    lines = [
        f"      - type: {code}",
        f'        name: "{name}"',
        '        hours: {mon: "09:00-12:00", wed: "09:00-12:00"}',
        "        referral: not_required",
        "        booking: {method: phone}",
    ]
    if audience:
        lines.append(f"        audience: [{', '.join(audience)}]")
    return "\n".join(lines)


def catalogue_text(houses: dict[str, tuple] | None = None) -> str:
    """The catalogue YAML (version 1, with the test-data notice)."""
    chosen = houses if houses is not None else HOUSES
    parts = ["version: 1", "updated: 2026-11-25", f'notice: "{NOTICE}"', "houses:"]
    for house_id, (name, municipality, street, postcode, town, _) in chosen.items():
        parts += [
            f"  - id: {house_id}",
            f'    name: "{name}"',
            f"    municipality: {municipality}",
            f'    address: {{street: "{street}", postcode: "{postcode}", town: "{town}"}}',
            '    opening_hours: {mon: "08:00-15:00", wed: "08:00-15:00"}',
            f'    entry_point: {{name: "{name}s indgang (testdata)", phone: "+45 00 00 00 00"}}',
            "    services:",
        ]
        parts += [_service(*service) for service in SERVICES[house_id]]
    return "\n".join(parts) + "\n"


def write_catalogue(path: Path) -> Path:
    path.write_text(catalogue_text(), encoding="utf-8")
    return path
