"""Ways people write one CPR number (010190-1234), for the masking tests in every channel."""

from __future__ import annotations

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
