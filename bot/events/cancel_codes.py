"""The cancellation code a registration's confirmation gives; only a salted hash of it is stored.

The code is short enough to copy from the confirmation (six characters from an
alphabet without look-alikes such as 0/O and 1/I/L) and random (`secrets`).
The stored value is "scrypt$salt$hash", so a leaked database does not give the
codes away cheaply. Comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: nothing to mistake when typing it
CODE_LENGTH = 6
_SCRYPT = {"n": 2**13, "r": 8, "p": 1, "dklen": 32}


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str | None) -> str | None:
    """The code as typed ("k7pm-3x ", "K7PM3X") in its stored form, or None if it cannot be a code."""
    code = "".join(character for character in str(text or "").upper() if character not in " -.")
    if len(code) != CODE_LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def _digest(code: str, salt: bytes) -> bytes:
    return hashlib.scrypt(code.encode(), salt=salt, **_SCRYPT)


def hash_code(code: str) -> str:
    salt = secrets.token_bytes(16)
    return f"scrypt${salt.hex()}${_digest(code, salt).hex()}"


def code_matches(code: str | None, stored: str | None) -> bool:
    """True when `code` is the code `stored` was made from; never for a missing code or hash."""
    if not code or not stored or stored.count("$") != 2:
        return False
    scheme, salt_hex, digest_hex = stored.split("$")
    if scheme != "scrypt":
        return False
    try:
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
    except ValueError:
        return False
    return hmac.compare_digest(_digest(code, salt), expected)


def spend_equal_time() -> None:
    """One hash's worth of work, for the path on which there was nothing to compare."""
    _digest("XXXXXX", b"\0" * 16)
