"""`make shell`: talk to the assistant in the terminal, through the same channel as everyone else.

`rasa shell` would force Rasa's own command-line channel, which hands the raw text to the NLU
and the actions (a CPR number included). Instead this starts the action server and our Rasa
server (bot.stack: credentials.yml's channels, so the REST channel that masks CPR numbers on
arrival; the API token; the action server's secret; loopback unless BIND_HOST says otherwise),
then runs Rasa's own terminal loop against the REST webhook: the same prompt, button menus and
`/stop` staff know from `rasa shell`.

Everything stops with the shell: `/stop`, Ctrl-C, SIGTERM or SIGHUP stop both servers; if the
shell is killed hard, the kernel stops them (bot.stack's parent-death signal).

    python -m rasa_adapters.shell      (what scripts/shell.sh runs)

Ports: ACTION_PORT and RASA_SHELL_PORT (default RASA_PORT+1); a port in use (say, by a running
`make run`) is replaced by a free one. RASA_MODEL=path uses another model; SHELL_LOG_DIR moves
the logs (default var/logs: shell-actions.log, shell-rasa.log).
"""

from __future__ import annotations

import asyncio
import signal
import sys
import uuid
from pathlib import Path

from bot import ports, settings, wording
from bot.stack import PortsBusyError, Stack, free_port
from bot.training import current_model_path

EXIT_FAILED = 1
SERVER_START_TIMEOUT = 600.0  # loading a model on a busy machine


def refusal_line(status: int) -> str:
    """The REST channel's refusal (rasa_adapters/channels/rest.py) in the copy the other channels use."""
    if status == 413:
        return wording.text("channels.request_too_large")
    if status == 429:
        return wording.text("channels.too_many_messages")
    return wording.text("channels.server_error", status=status)


def usable_port(wanted: int) -> int:
    """`wanted` when nothing listens on it, else a free one the system picks."""
    return wanted if ports.port_is_free(wanted) else free_port()


def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP (terminal closed) stop like Ctrl-C, so the `finally` stops the servers."""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    for signal_number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signal_number, interrupt)


def shell_stack() -> Stack:
    """The servers `make shell` starts; ValueError when a port variable is not a number."""
    action_port, rasa_port = settings.action_port(), settings.rasa_shell_port()
    stack = Stack(
        action_port=usable_port(action_port),
        rasa_port=usable_port(rasa_port),
        web_port=None,
        model=settings.model_override() or current_model_path(),
        log_dir=settings.shell_log_dir(),
        log_prefix="shell-",
    )
    if stack.action_port != action_port:
        print(f"shell: port {action_port} er optaget; action-serveren bruger port {stack.action_port}.")
    if stack.rasa_port != rasa_port:
        print(f"shell: port {rasa_port} er optaget; Rasa-serveren bruger port {stack.rasa_port}.")
    return stack


async def talk(server_url: str, sender_id: str) -> None:
    """Rasa's terminal loop (`rasa shell`'s) against our REST webhook, until /stop or Ctrl-C."""
    import aiohttp
    from rasa.core.channels import console

    while True:
        try:
            # The webhook is public: no API token in its URL (it would land in access logs).
            await console.record_messages(sender_id=sender_id, server_url=server_url)
            return
        except aiohttp.ClientResponseError as error:  # an answer, but not 200: the server is still there
            print(f"shell: {refusal_line(error.status)}", flush=True)


def run() -> int:
    _stop_on_signals()
    try:
        stack = shell_stack()
    except ValueError:
        print("shell: ACTION_PORT, RASA_PORT og RASA_SHELL_PORT skal være portnumre, fx 5055.",
              file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    model = stack.model or current_model_path()
    if not model.exists():
        print(f"shell: ingen aktuel model ({model.name}); kør 'make train' først.", file=sys.stderr)
        return EXIT_FAILED
    print(f"shell: starter action-server og Rasa-server med modellen {model.name} ...", flush=True)
    try:
        stack.start(timeout=SERVER_START_TIMEOUT)
    except PortsBusyError as error:  # taken between the choice above and the start
        print(f"shell: kan ikke starte.\n{error}", file=sys.stderr)
        return EXIT_FAILED
    except (RuntimeError, TimeoutError) as error:
        print(f"shell: serverne startede ikke: {error}", file=sys.stderr)
        _print_tail(stack.log_path("rasa"))
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\nshell: stoppet.")
        return 0
    action_pid, rasa_pid = stack.processes["actions"].pid, stack.processes["rasa"].pid
    print(f"shell: action-server på {stack.action_url} (pid {action_pid}), log: {stack.log_path('actions')}")
    print(f"shell: Rasa-server på {stack.rasa_url} (pid {rasa_pid}), log: {stack.log_path('rasa')}")
    print(f"shell: database {_database_label()}")
    print("shell: skriv /stop for at afslutte.", flush=True)
    try:
        asyncio.run(talk(stack.rasa_url, uuid.uuid4().hex))
        return 0
    except KeyboardInterrupt:
        print("\nshell: afbrudt.")
        return 0
    except Exception as error:  # noqa: BLE001 - the server went away: say so, no stack trace
        print(f"shell: forbindelsen til Rasa-serveren gik tabt ({type(error).__name__}); "
              f"se {stack.log_path('rasa')}", file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    finally:
        for signal_number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signal_number, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
        stack.stop()
        print(f"shell: action-serveren (pid {action_pid}) og Rasa-serveren (pid {rasa_pid}) er stoppet.")


def _database_label() -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url()).render_as_string(hide_password=True)


def _print_tail(log: Path, lines: int = 20) -> None:
    try:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except OSError:
        return
    print("\n".join(tail), file=sys.stderr)


if __name__ == "__main__":
    settings.quiet_tools_by_default()
    sys.exit(run())
