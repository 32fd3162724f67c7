"""widget.js as served: the widget's own words (bot/copy/widget.yml) put in where it asks for them.

The script in bot/web/static/widget/ holds no Danish of its own; it reads its labels from
`TEXT`, which is defined on the line that carries the marker below. Communications staff edit
the copy file, never the script.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot import wording

WIDGET_SCRIPT = Path(__file__).resolve().parent / "static" / "widget" / "widget.js"
MARKER = "/* WIDGET_TEXTS */"


def widget_texts() -> dict[str, Any]:
    """The widget's words as nested dicts, ready for JSON."""
    return wording.section("widget")


@lru_cache(maxsize=1)
def widget_script() -> str:
    """The widget's script with its words filled in; read once per process."""
    script = WIDGET_SCRIPT.read_text(encoding="utf-8")
    if script.count(MARKER) != 1:
        raise RuntimeError(f"{WIDGET_SCRIPT} must hold the marker {MARKER} exactly once")
    # json.dumps leaves "</" as it is; escaped, no copy text can end a <script> element early.
    texts = json.dumps(widget_texts(), ensure_ascii=False).replace("</", "<\\/")
    return script.replace(MARKER, texts)
