"""The layout the code promises: `bot/` knows nothing of Rasa, and no package imports itself in a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "actions", "rasa_adapters")
RASA_PACKAGES = ("rasa", "rasa_sdk")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def imported_names(path: Path) -> list[str]:
    """Every module named by an import in this file, at any depth (also inside functions)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_bot_package_imports_no_rasa() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / "bot").rglob("*.py")
        for name in imported_names(path)
        if name.split(".")[0] in RASA_PACKAGES
    ]
    assert offenders == []


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imported in imported_names(path):
            # "from bot import places" names bot.places; "from bot.places import find" names bot.places.
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name and not name.startswith(imported + "."):
                graph[name].add(imported)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


@pytest.mark.parametrize(
    "graph, has_cycle",
    [({"a": {"b"}, "b": {"a"}}, True), ({"a": {"b"}, "b": {"c"}, "c": set()}, False)],
)
def test_cycle_finder_finds_cycles(graph: dict[str, set[str]], has_cycle: bool) -> None:
    assert (find_cycle(graph) is not None) is has_cycle


# -- configuration: bot/settings.py is the only reader of the environment ------------------

ENVIRONMENT_READERS = {"environ", "getenv", "environb", "getenvb"}
SETTINGS_MODULE = ROOT / "bot" / "settings.py"


def environment_reads(source: str) -> list[int]:
    """Lines that read the environment: os.environ / os.getenv, or those names imported from os."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        os_attribute = (
            isinstance(node, ast.Attribute)
            and node.attr in ENVIRONMENT_READERS
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        )
        from_os = (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(alias.name in ENVIRONMENT_READERS for alias in node.names)
        )
        if os_attribute or from_os:
            lines.append(node.lineno)
    return lines


def test_only_settings_reads_the_environment() -> None:
    sources = [p for package in (*PACKAGES, "scripts") for p in (ROOT / package).rglob("*.py")]
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sources
        if path != SETTINGS_MODULE
        for line in environment_reads(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "read the environment through bot.settings instead"


@pytest.mark.parametrize(
    "source, reads",
    [
        ("import os\nos.environ.get('X')", True),
        ("import os\nos.getenv('X')", True),
        ("from os import environ", True),
        ("import os\nos.killpg(1, 9)", False),
        ("from bot import settings\nsettings.database_url()", False),
    ],
)
def test_environment_read_finder(source: str, reads: bool) -> None:
    assert bool(environment_reads(source)) is reads
