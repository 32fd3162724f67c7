"""Container health check: exit 0 when the URL answers 2xx within 3 seconds, else 1.

    python deploy/healthcheck.py http://127.0.0.1:5005/version

The image has no curl; this uses only the standard library.
"""

from __future__ import annotations

import sys
import urllib.request


def healthy(url: str, timeout: float = 3.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 - our own loopback URL
            return 200 <= answer.status < 300
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(0 if healthy(sys.argv[1]) else 1)
