"""`rasa run`, with the HTTP API token taken from the environment instead of the command line.

    python -m rasa_adapters.rasa_server --enable-api --port 5005 --model ... (rasa run's options)

Rasa 3.6 reads its API token only from `--auth-token`, and a command line is visible to every
local user (`ps`, /proc/PID/cmdline). This launcher reads RASA_AUTH_TOKEN (else the 0600 file
under var/secrets/, see bot.settings) and hands it to Rasa's CLI inside this process: the
kernel keeps the argv the process was started with, so `ps` never shows the token. The action
server's secret never was an argument: endpoints.yml reads ACTION_SERVER_TOKEN from the
environment, which only the same user can read (/proc/PID/environ is 0400).
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from bot import settings
from bot.process_memory import release_free_heap, rss_bytes

logger = logging.getLogger(__name__)

AUTH_TOKEN_OPTION = "--auth-token"
# Packages `import tensorflow` pulls in that the Rasa server never uses. TensorFlow 2.12's TFLite
# converter tries `from jax import xla_computation` at import time and falls back to None on an
# ImportError; jax is installed (a TensorFlow dependency), so every server paid ~65 MB of RSS and
# ~3 s of start-up for it (docs/benchmarks.md, "Memory"). `rasa train` does not go through here.
UNUSED_IMPORTS = ("jax",)


def skip_unused_imports() -> None:
    """Make `import jax` (and the others) fail in this process: None in sys.modules is an ImportError."""
    for name in UNUSED_IMPORTS:
        sys.modules.setdefault(name, None)  # type: ignore[assignment]


def rasa_argv(arguments: list[str], token: str) -> list[str]:
    """What Rasa's CLI parses: `rasa run ARGUMENTS --auth-token=TOKEN` ("=": never read as an option)."""
    return ["rasa", "run", *arguments, f"{AUTH_TOKEN_OPTION}={token}"]


def release_memory_after_model_load(run_module: Any) -> None:
    """Give the heap that loading the model freed back to the kernel once the model is loaded.

    Rasa loads the model in `rasa.core.run.load_agent_on_start` (a listener `serve_application`
    registers by that name); the wrapper calls it, then `release_free_heap()`.
    """
    load: Callable[..., Awaitable[Any]] = run_module.load_agent_on_start
    if getattr(load, "releases_memory", False):
        return

    @functools.wraps(load)
    async def load_then_release(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        before = rss_bytes(os.getpid())
        if release_free_heap():
            logger.info(
                "Freed heap after loading the model: RSS %d MB -> %d MB",
                before // 2**20, rss_bytes(os.getpid()) // 2**20,
            )  # fmt: skip
        return agent

    load_then_release.releases_memory = True  # type: ignore[attr-defined]
    run_module.load_agent_on_start = load_then_release


def main(arguments: list[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if arguments is None else arguments)
    if any(a == AUTH_TOKEN_OPTION or a.startswith(AUTH_TOKEN_OPTION + "=") for a in arguments):
        print(
            f"rasa-server: {AUTH_TOKEN_OPTION} hører ikke til på kommandolinjen (alle kan se den med ps); "
            f"sæt {settings.RASA_AUTH_TOKEN_VARIABLE} i miljøet i stedet.",
            file=sys.stderr,
        )
        return 2
    token = settings.rasa_auth_token()
    if not token:  # never an open API
        print(
            f"rasa-server: {settings.RASA_AUTH_TOKEN_VARIABLE} mangler; "
            "kør `python -m bot secrets ensure` eller sæt variablen.",
            file=sys.stderr,
        )
        return 2
    settings.quiet_tools_by_default()  # before Rasa (and TensorFlow) is imported
    skip_unused_imports()
    sys.argv = rasa_argv(arguments, token)  # only this process's copy; /proc/PID/cmdline keeps the original
    import rasa.core.run

    release_memory_after_model_load(rasa.core.run)
    from rasa_adapters.fast_model_load import install as load_models_fast

    load_models_fast()  # DIET's weights without tracing a training step (about 55 s less per start)
    from rasa.__main__ import main as rasa_main

    rasa_main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
