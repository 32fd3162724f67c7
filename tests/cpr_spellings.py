"""Ways people write one CPR number (010190-1234), for the masking tests in every channel."""

from __future__ import annotations

import re

from bot.privacy import mask_cpr

CPR_DIGITS = "0101901234"

CPR_SPELLINGS: tuple[str, ...] = (
    "010190-1234",
    "0101901234",
    "010190 1234",
    "010190\u20131234",  # en dash
    "010190\u20141234",  # em dash
    "010190\u22121234",  # minus sign
    "010190\u20111234",  # non-breaking hyphen
    "010190\u20101234",  # hyphen
    "010190\uff0d1234",  # full-width hyphen-minus
    "010190\u00a01234",  # no-break space
    "010190\u202f1234",  # narrow no-break space
    "\uff10\uff11\uff10\uff11\uff19\uff10-\uff11\uff12\uff13\uff14",  # full-width digits
    "01.01.90-1234",
    "01.01.90.1234",
    "01/01/90-1234",
    "01/01/90 1234",
    "01 01 90 12 34",
    "0101 90 1234",
    "010190 - 1234",
    "010190 \u2013 1234",
    "01-01-90-1234",
    "010190\u200b1234",  # zero-width space
    "010190\u00ad1234",  # soft hyphen
)


# Conversation, message and model ids are random hex (uuid4().hex, secrets.token_hex); now and
# then one holds ten digits in a row whose first six read as a date, which the masking rightly
# treats as a CPR number. They are set aside before asking whether anything is left to mask.
_RANDOM_HEX_ID = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,})(?![0-9A-Za-z])"
)


def nothing_left_to_mask(text: str) -> bool:
    """True when `text`, random hex ids aside, holds nothing that reads as a CPR number."""
    without_ids = _RANDOM_HEX_ID.sub("<id>", text)
    return mask_cpr(without_ids) == without_ids
