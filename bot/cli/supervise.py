"""Keep a started stack running until Ctrl-C or until one of its servers stops.

Shared by `make run` and `make run-prod`: both own a dict of server processes and
must stop all of them on the way out, whatever the reason.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from bot.cli.exit_codes import EXIT_FAILED


class RunningStack(Protocol):
    processes: Mapping[str, subprocess.Popen]
    log_dir: Path

    def stop(self) -> None: ...


def serve_until_stopped(stack: RunningStack) -> int:
    """0 after Ctrl-C; EXIT_FAILED, naming the servers, when one stopped by itself."""
    try:
        while all(process.poll() is None for process in stack.processes.values()):
            time.sleep(1)
        stopped = [name for name, process in stack.processes.items() if process.poll() is not None]
        print(f"Stoppede uventet: {', '.join(stopped)}; se {stack.log_dir}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\nStopper ...")
        return 0
    finally:
        stack.stop()
