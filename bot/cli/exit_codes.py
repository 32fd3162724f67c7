"""Exit statuses of `python -m bot run` (both profiles)."""

EXIT_FAILED = 1
EXIT_PORT_BUSY = 3
