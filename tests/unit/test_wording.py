"""One home for every reply: no Danish sentence in `actions/`, and the copy files match the code.

The copy files (`bot/copy/*.yml`, read by `bot.wording`) are where communications staff review
what the assistant says. These tests keep them honest: every key the code asks for exists with
exactly the placeholders the code fills in, every text in them is used, and `actions/` says
nothing of its own.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import wording

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ("bot", "actions", "rasa_adapters", "scripts")

DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")
# Small words found in nearly every Danish sentence and (as whole words) in no identifier we use.
COMMON_DANISH_WORDS = frozenset({
    "og", "er", "du", "jeg", "det", "den", "ikke", "til", "på", "med", "af", "at", "en", "et", "kan",
    "vil", "skal", "har", "din", "dit", "dig", "mig", "her", "der", "som", "om", "hvis", "tak", "ja",
    "nej", "hvor", "hvad", "hvem", "hvilket", "hvilken", "eller", "så", "fra", "os", "vi", "ingen",
    "skriv", "ring", "gem", "bliv", "blive", "tale", "op", "noget", "andet",
})  # fmt: skip
# Module constants named like this are what a user may TYPE (matched against input), not replies.
INPUT_VOCABULARY = re.compile(r"_(WORDS|CUES)$")
WORD = re.compile(r"[A-Za-zæøåÆØÅ]+")


def is_danish_sentence(value: str) -> bool:
    """Danish letters, or two or more words of which one is a common Danish word."""
    if DANISH_LETTERS.search(value):
        return True
    words = [word.lower() for word in WORD.findall(value)] if len(value.split()) >= 2 else []
    return any(word in COMMON_DANISH_WORDS for word in words)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _exempt(tree: ast.AST) -> set[int]:
    """Constants that are not replies: input vocabulary (`*_WORDS`, `*_CUES`) and regular expressions."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and INPUT_VOCABULARY.search(t.id) for t in targets):
            ids.update(id(sub) for sub in ast.walk(node.value))  # type: ignore[union-attr]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "compile"
        ):
            ids.update(id(sub) for arg in node.args for sub in ast.walk(arg))
    return ids


def danish_literals(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree) | _exempt(tree)
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        if is_text and is_danish_sentence(node.value):
            yield node.lineno, node.value


def test_the_danish_detector_finds_sentences_and_leaves_identifiers_alone() -> None:
    assert is_danish_sentence("Hvilket arrangement vil du tilmelde dig?")
    assert not is_danish_sentence("Nej")  # one word: not a sentence (button titles are checked by review)
    assert is_danish_sentence("Tilmeldingen er lukket.")
    assert is_danish_sentence("Åbningstider")
    assert is_danish_sentence("Ring og bestil tid")
    assert not is_danish_sentence("registration_form")
    assert not is_danish_sentence("/request_callback")
    assert not is_danish_sentence('/register_event{"event_id": "x"}')
    assert not is_danish_sentence("Call-back request not stored: %s")
    assert not is_danish_sentence("utter_no_house_at_place")


def test_the_scan_catches_a_hard_coded_sentence_and_skips_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "action.py"
    module.write_text(
        '"""Hvad modulet gør."""\n'
        'STOP_WORDS = ("annullér", "stop")\n'
        "def run(title):\n"
        '    """Svar på dansk."""\n'
        '    return f"Du er tilmeldt {title}."\n',
        encoding="utf-8",
    )
    assert [value for _line, value in danish_literals(module)] == ["Du er tilmeldt "]


def test_no_danish_sentence_is_hard_coded_in_actions() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {value!r}"
        for path in sorted((ROOT / "actions").rglob("*.py"))
        for line, value in danish_literals(path)
    ]
    assert not offenders, "Move these texts to bot/copy/*.yml or domain.yml:\n" + "\n".join(offenders)


# ------------------------------------------------------------------ copy keys used in code


def wording_calls() -> Iterator[tuple[str, int, str, str, set[str] | None]]:
    """(file, line, function, key, keyword names or None when **values is used) of every wording call."""
    for directory in CODE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if path.name == "wording.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                owner = (
                    func.value.id
                    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                    else None
                )
                if name not in ("text", "table", "section") or owner not in (None, "wording"):
                    continue
                if owner is None and not _imports_from_wording(tree, name):
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                first = node.args[0] if node.args else None
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    yield where, node.lineno, name, "", None
                    continue
                keywords = (
                    None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
                )
                yield where, node.lineno, name, first.value, keywords


def _imports_from_wording(tree: ast.AST, name: str) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module == "bot.wording"
        and any(alias.name == name and alias.asname is None for alias in node.names)
        for node in ast.walk(tree)
    )


CALLS = list(wording_calls())
TEXTS = dict(wording.all_keys())


def test_wording_calls_are_found() -> None:
    assert len(CALLS) > 50


def test_every_copy_key_used_in_code_exists_with_the_placeholders_filled_in() -> None:
    problems = []
    for where, _line, function, key, keywords in CALLS:
        if not key:
            problems.append(f"{where}: the key must be a literal string, so it can be checked")
            continue
        if function in ("table", "section"):
            try:
                getattr(wording, function)(key)
            except wording.WordingError as error:
                problems.append(f"{where}: {error}")
            continue
        template = TEXTS.get(key)
        if template is None:
            problems.append(f"{where}: no copy text {key!r}")
        elif keywords is not None and wording.placeholders(template) != keywords:
            problems.append(
                f"{where}: {key!r} has placeholders {sorted(wording.placeholders(template))}, "
                f"the code fills in {sorted(keywords)}"
            )
    assert not problems, "\n".join(problems)


def test_every_copy_text_is_used() -> None:
    used_texts = {key for _w, _l, function, key, _k in CALLS if function == "text"}
    used_tables = {key for _w, _l, function, key, _k in CALLS if function in ("table", "section")}
    unused = [
        key
        for key, _value in wording.all_keys()
        if key not in used_texts and not any(key.startswith(table + ".") for table in used_tables)
    ]
    assert not unused, "Copy texts no code uses (remove them, or use them):\n" + "\n".join(unused)


def test_copy_texts_are_strings_and_a_wrong_key_or_placeholder_fails_loudly() -> None:
    for key, value in wording.all_keys():
        assert isinstance(value, str) and value.strip(), key
    with pytest.raises(wording.WordingError):
        wording.text("answers.no_such_key")
    with pytest.raises(wording.WordingError):
        wording.text("answers.updated")  # needs {date}
    with pytest.raises(wording.WordingError):
        wording.text("answers.status.closed_today", today="7.00–13.00")  # has no {today}
    with pytest.raises(wording.WordingError):
        wording.table("answers.updated")
    assert wording.text("answers.updated", date="1. november 2026").endswith("opdateret 1. november 2026.")
