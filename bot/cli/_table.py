"""Shared helpers for the staff commands: plain-text tables and database errors in Danish."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import wraps

from sqlalchemy.exc import OperationalError, ProgrammingError


def print_table(headings: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 40) -> None:
    """Columns padded to their widest cell; long cells are cut with "…"."""
    cells = [[_cell(value, max_width) for value in row] for row in rows]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headings)]
    print("  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _cell(value: object, max_width: int) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= max_width else text[: max_width - 1] + "…"


def database_errors_in_danish(func: Callable[..., int]) -> Callable[..., int]:
    """A missing table or unreachable database becomes a Danish message and exit status 1."""

    @wraps(func)
    def wrapper(*args: object, **kwargs: object) -> int:
        try:
            return func(*args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            print(
                "Databasen kunne ikke læses. Tjek at DATABASE_URL er rigtig, og at databasen er "
                f"oprettet med projektets migreringer. ({type(error.orig).__name__})",
                file=sys.stderr,
            )
            return 1

    return wrapper
