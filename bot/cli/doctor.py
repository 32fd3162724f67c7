"""`python -m bot doctor`: what a newcomer needs to check before `make run` and `make test`.

Each check prints one line: ✓ fine, ! worth knowing (does not stop the assistant), ✗ must be fixed.
Exit code 0 when nothing is ✗, otherwise 1.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from bot import settings
from bot.ports import listeners, port_is_free
from bot.stack import answers

OK, NOTE, FAIL = "✓", "!", "✗"
REQUIRED_PYTHON = (3, 10)
KEY_PACKAGES = ("rasa", "rasa-sdk", "spacy", "SQLAlchemy", "aiohttp")
LOCK_FILE = settings.PROJECT_ROOT / "requirements.lock"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
SETUP_DATA_HINT = "kør `make setup` (python -m bot setup-data)"


@dataclass
class Check:
    status: str
    what: str
    detail: str
    hint: str = ""

    def lines(self) -> list[str]:
        out = [f"{self.status} {self.what}: {self.detail}"]
        if self.hint:
            out.append(f"    → {self.hint}")
        return out


# -- Python and packages -------------------------------------------------------------


def check_python() -> list[Check]:
    version = platform.python_version()
    if sys.version_info[:2] == REQUIRED_PYTHON:
        return [Check(OK, "Python", f"{version} ({sys.executable})")]
    return [
        Check(
            FAIL,
            "Python",
            f"{version} – Rasa 3.6 kræver Python 3.10",
            "kør `make setup`, som laver .venv med Python 3.10 (fx `pyenv install 3.10.13` først)",
        )
    ]


def locked_versions(lock_file: Path = LOCK_FILE) -> dict[str, str]:
    """Pinned `name==version` lines, keyed by the normalised package name."""
    pins: dict[str, str] = {}
    if not lock_file.exists():
        return pins
    for line in lock_file.read_text(encoding="utf-8").splitlines():
        name, sep, version = line.split("#")[0].strip().partition("==")
        if sep:
            pins[_normalise(name)] = version.strip()
    return pins


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-")


def check_packages() -> list[Check]:
    pins = locked_versions()
    checks = []
    for name in KEY_PACKAGES:
        wanted = pins.get(_normalise(name))
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            checks.append(Check(FAIL, name, f"ikke installeret (låst: {wanted or '?'})", "kør `make setup`"))
            continue
        if wanted is None:
            checks.append(Check(NOTE, name, f"{installed} (ikke i {LOCK_FILE.name})"))
        elif installed == wanted:
            checks.append(Check(OK, name, installed))
        else:
            checks.append(
                Check(FAIL, name, f"{installed}, men {LOCK_FILE.name} siger {wanted}", "kør `make setup`")
            )
    return checks


# -- spaCy pipeline ----------------------------------------------------------------


def check_spacy_pipeline() -> list[Check]:
    from bot.nlp.pipeline import describe, offline_source_hash, summary_line

    info = describe()
    if not info.get("installed"):
        hint = "kør `make setup` (python -m bot nlp ensure)"
        return [Check(FAIL, "spaCy-pipeline", summary_line(info), hint)]
    if info.get("offline"):
        checks = [
            Check(
                NOTE,
                "spaCy-pipeline (OFFLINE)",
                summary_line(info),
                "virker, men uden den trænede da_core_news_sm; "
                "kør `python -m bot nlp ensure` med netadgang og derefter `make train`",
            )
        ]
        if info.get("source_hash") != offline_source_hash():
            checks.append(
                Check(
                    NOTE,
                    "spaCy-pipelinens lemma-opslag",
                    "bygget til andre træningsdata end de nuværende",
                    "`python -m bot train` bygger den igen før træningen",
                )
            )
        return checks
    return [Check(OK, "spaCy-pipeline", summary_line(info))]


# -- database ----------------------------------------------------------------------


def check_database() -> list[Check]:
    from sqlalchemy.engine import make_url

    url = settings.database_url()
    label = make_url(url).render_as_string(hide_password=True)
    database = make_url(url).database
    if url.startswith("sqlite") and database and database != ":memory:" and not Path(database).exists():
        return [Check(FAIL, "Database", f"{label} findes ikke", SETUP_DATA_HINT)]
    try:
        return _database_checks(url, label)
    except Exception as error:  # noqa: BLE001 - any failure to connect is reported, not raised
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return [Check(FAIL, "Database", f"{label} kan ikke åbnes: {first_line}", "tjek DATABASE_URL")]


def _database_checks(url: str, label: str) -> list[Check]:
    from sqlalchemy import func, select

    from bot import migrate
    from bot.db import session_scope
    from bot.models import CatalogueInfo, Event, House, Service

    checks = []
    current, head = migrate.current_revision(url), migrate.head_revision()
    if current == head:
        checks.append(Check(OK, "Database", f"{label} (skema {current}, nyeste)"))
    else:
        checks.append(
            Check(
                FAIL,
                "Database",
                f"{label} har skema {current or 'intet'}, nyeste er {head}",
                SETUP_DATA_HINT,
            )
        )
        return checks
    with session_scope(url) as session:
        houses, services, events = (
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (House, Service, Event)
        )
        info = session.execute(select(CatalogueInfo).order_by(CatalogueInfo.id.desc())).scalars().first()
    counts = f"{houses} huse, {services} tilbud, {events} arrangementer"
    if houses:
        checks.append(Check(OK, "Katalog", counts))
    else:
        checks.append(Check(FAIL, "Katalog", f"tom database ({counts})", SETUP_DATA_HINT))
    if info is not None:
        imported = f"{info.imported_at:%Y-%m-%d %H:%M} UTC"
        checks.append(Check(OK, "Katalog opdateret", f"{info.updated} (indlæst {imported})"))
    else:
        checks.append(Check(NOTE, "Katalog opdateret", "ukendt – intet katalog er importeret"))
    return checks


# -- model -------------------------------------------------------------------------


def check_model() -> list[Check]:
    from bot.training import current_model_path

    model = current_model_path()
    shown = model.relative_to(settings.PROJECT_ROOT) if model.is_relative_to(settings.PROJECT_ROOT) else model
    if model.exists():
        return [Check(OK, "Model", f"{shown} er aktuel")]
    return [Check(FAIL, "Model", f"ingen aktuel model ({shown})", "kør `make train`")]


# -- ports -------------------------------------------------------------------------

# name, environment variable, default, the URL path that answers when it is ours
PORTS: tuple[tuple[str, str, int, str], ...] = (
    ("action-server", "ACTION_PORT", settings.ACTION_PORT_DEFAULT, "/health"),
    ("Rasa-server", "RASA_PORT", settings.RASA_PORT_DEFAULT, "/version"),
    ("webside", "WEB_PORT", settings.WEB_PORT_DEFAULT, "/healthz"),
)


def check_ports() -> list[Check]:
    checks = []
    for name, variable, default, health_path in PORTS:
        try:
            port = settings.port(variable, default)
        except ValueError:
            checks.append(Check(FAIL, f"Port ({name})", f"{variable} er ikke et tal", f"ret {variable}"))
            continue
        what = f"Port {port} ({name})"
        if port_is_free(port):
            checks.append(Check(OK, what, "ledig"))
        elif answers(f"http://127.0.0.1:{port}{health_path}"):
            checks.append(Check(OK, what, f"i brug og svarer på {health_path} – assistenten kører allerede"))
        else:
            checks.append(
                Check(
                    FAIL,
                    what,
                    "optaget af " + (", ".join(h.describe() for h in listeners(port)) or "et andet program"),
                    f"stop det, eller vælg en anden port med {variable}=...",
                )
            )
    return checks


# -- test tools ----------------------------------------------------------------------


def check_chromium() -> list[Check]:
    found = next((path for name in CHROMIUM_CANDIDATES if (path := shutil.which(name))), None)
    if found:
        return [Check(OK, "Chromium (til testene)", found)]
    return [
        Check(
            NOTE,
            "Chromium (til testene)",
            "ikke fundet – browsertestene kan ikke køre",
            "`make test` installerer den som root; ellers `apt-get install chromium`",
        )
    ]


CHECKS: tuple[Callable[[], list[Check]], ...] = (
    check_python,
    check_packages,
    check_spacy_pipeline,
    check_database,
    check_model,
    check_ports,
    check_chromium,
)


def run_checks() -> list[Check]:
    results: list[Check] = []
    for check in CHECKS:
        try:
            results += check()
        except Exception as error:  # noqa: BLE001 - one broken check must not hide the others
            results.append(Check(FAIL, check.__name__.removeprefix("check_"), f"fejl under tjek: {error}"))
    return results


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "doctor", help="tjek Python, pakker, spaCy-pipeline, database, model og porte"
    )
    parser.set_defaults(func=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    results = run_checks()
    for result in results:
        for line in result.lines():
            print(line)
    failures = [r for r in results if r.status == FAIL]
    print()
    if failures:
        print(f"{len(failures)} ting skal rettes, før assistenten kan køre (✗ ovenfor).")
        return 1
    print("Alt det nødvendige er i orden. Start med `make run`.")
    return 0
