"""CSV files for staff: UTF-8 that Excel reads, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable


def csv_safe(value: object) -> str:
    """A cell as text; a leading =, +, -, @ is neutralised so a spreadsheet never runs it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


ERASED_CELL = "(slettet)"  # what staff see where a person's data was deleted on withdrawal


def personal_cell(value: str | None, erased: bool) -> str | None:
    """A personal field for a staff export: "(slettet)" when it was erased, so a blank is never a mystery."""
    return ERASED_CELL if erased and not value else value


def write_csv(headings: list[str], rows: Iterable[list[object]], delimiter: str = ",") -> str:
    """CSV text with a UTF-8 byte order mark.

    Comma is the standard separator every tool reads. The BOM makes Excel read the
    file as UTF-8, so æ, ø and å come out right. Danish Excel expects ";" when a
    file is double-clicked; pass delimiter=";" (CLI: --delimiter ";") for that.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return buffer.getvalue()
