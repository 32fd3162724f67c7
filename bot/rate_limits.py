"""Limits on how often one sender or one network address may write, with the `limits` library.

Storage is in memory by default (RATE_LIMIT_STORAGE=memory://); a Redis URL
(`redis://host:6379/0`) shares the counters between several Rasa processes. Keys are
SHA-256 hashes, so neither a sender id nor an address is ever stored in clear, and the
counters expire by themselves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from limits import parse, storage, strategies

from bot import settings


def _key(kind: str, value: str) -> str:
    return f"sundhedshus:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


@dataclass
class RateLimiter:
    """`allow(sender=..., address=...)` counts one message and says whether it is within limits."""

    per_sender: str
    per_address: str
    storage_url: str = "memory://"

    def __post_init__(self) -> None:
        self._sender_limit = parse(self.per_sender)
        self._address_limit = parse(self.per_address)
        # The limiter holds its storage only by a weak reference: keep the storage here.
        self.storage = storage.storage_from_string(self.storage_url)
        self._limiter = strategies.MovingWindowRateLimiter(self.storage)

    def allow(self, *, sender: str | None = None, address: str | None = None) -> bool:
        allowed = True
        if sender:
            allowed &= self._limiter.hit(self._sender_limit, _key("sender", sender))
        if address:
            allowed &= self._limiter.hit(self._address_limit, _key("address", address))
        return allowed


def from_settings() -> RateLimiter:
    return RateLimiter(
        per_sender=settings.rate_limit_per_sender(),
        per_address=settings.rate_limit_per_address(),
        storage_url=settings.rate_limit_storage(),
    )
