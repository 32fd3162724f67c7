"""Placeholders in catalogue data ("+45 00 00 00 00", addresses on example.invalid).

Sample and test catalogues must fill required fields without inventing real
contacts; the assistant must never present such a value as something to call,
write to or click. The answers ask these helpers before showing a contact.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bot.danish import phone_number

PLACEHOLDER_DOMAIN = "example.invalid"


def is_placeholder_phone(phone: str | None) -> bool:
    """True for a number whose digits (after a +45 country code) are all zeros."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("45") and len(digits) == 10:
        digits = digits[2:]
    return bool(digits) and set(digits) == {"0"}


def is_placeholder_email(email: str | None) -> bool:
    domain = (email or "").rsplit("@", 1)[-1].strip().lower()
    return domain == PLACEHOLDER_DOMAIN or domain.endswith("." + PLACEHOLDER_DOMAIN)


def is_placeholder_url(url: str | None) -> bool:
    host = (urlsplit(url or "").hostname or "").lower()
    return host == PLACEHOLDER_DOMAIN or host.endswith("." + PLACEHOLDER_DOMAIN)


def real_phone(phone: str | None) -> str | None:
    """The number as Danes write it ("35 30 30 50"), or None when it is missing or a placeholder."""
    return None if not phone or is_placeholder_phone(phone) else phone_number(phone)


def real_email(email: str | None) -> str | None:
    return None if not email or is_placeholder_email(email) else email


def real_url(url: str | None) -> str | None:
    return None if not url or is_placeholder_url(url) else url
