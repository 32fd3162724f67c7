"""The privacy page (/privatliv): who is responsible, purpose, retention and how to withdraw.

The wording is in bot/copy/privacy.yml (`page`); the retention periods and the data controller
are the ones configured now (bot/privacy.py), so the page says what the assistant really does.
"""

from __future__ import annotations

import html

from bot import privacy
from bot.wording import text


def _section(heading: str, *paragraphs: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"<section><h2>{html.escape(heading)}</h2>{body}</section>"


def privacy_page() -> str:
    title = html.escape(text("privacy.page.title"))
    sections = [
        _section(text("privacy.page.controller_heading"), privacy.data_controller()),
        _section(
            text("privacy.page.purpose_heading"),
            text("privacy.page.conversation", conversation_days=privacy.retention_days("CONVERSATION")),
            text("privacy.page.registration", registration_days=privacy.retention_days("REGISTRATION")),
            text("privacy.page.callback", callback_days=privacy.retention_days("CALLBACK")),
        ),
        _section(text("privacy.page.withdraw_heading"), text("privacy.page.withdraw")),
        _section(text("privacy.page.cpr_heading"), text("privacy.page.cpr")),
    ]
    return (
        '<!doctype html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} – Sundhedshuse (demo)</title>\n"
        '<meta name="robots" content="noindex">\n'
        '<link rel="stylesheet" href="/demo/demo.css">\n</head>\n<body>\n'
        f'<main id="indhold" class="wrap privacy-page">\n<h1>{title}</h1>\n'
        f"<p>{html.escape(text('privacy.page.intro'))}</p>\n"
        + "\n".join(sections)
        + f'\n<p><a href="/">{html.escape(text("privacy.page.back"))}</a></p>\n</main>\n</body>\n</html>\n'
    )
