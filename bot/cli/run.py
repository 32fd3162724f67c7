"""`python -m bot run`: start the action server, the Rasa server and the web page; Ctrl-C stops all.

It cleans up after itself: a port already taken stops it before anything starts
(exit status EXIT_PORT_BUSY, naming the port and the process holding it); its
servers stop when it stops, also when it or `make` is killed hard (see bot.stack).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from bot import settings
from bot.cli.exit_codes import EXIT_FAILED, EXIT_PORT_BUSY
from bot.cli.supervise import serve_until_stopped
from bot.server_secrets import ensure_secrets
from bot.stack import PortsBusyError, Stack, die_with_parent
from bot.training import current_model_path


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser("run", help="Start assistenten (action-server, Rasa-server, webside)")
    run.add_argument("--no-web", action="store_true", help="Start ikke websiden")
    run.add_argument(
        "--production",
        action="store_true",
        help="produktionsprofilen: PostgreSQL, Redis, flere Rasa- og action-servere bag nginx",
    )
    run.set_defaults(func=_run)


def _stop_on_sigterm() -> None:
    """SIGTERM (also the one sent when `make` dies) stops like Ctrl-C, so the servers are stopped."""

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _run(args: argparse.Namespace) -> int:
    _stop_on_sigterm()
    die_with_parent(os.getppid())  # `make run` killed hard: we get SIGTERM and stop our servers
    if args.production:
        from bot.cli.run_production import run_production

        return run_production()
    try:
        stack = Stack(
            action_port=settings.action_port(),
            rasa_port=settings.rasa_port(),
            web_port=None if args.no_web else settings.web_port(),
            model=current_model_path(),
        )
    except ValueError:
        print("ACTION_PORT, RASA_PORT og WEB_PORT skal være portnumre, fx 5005.", file=sys.stderr)
        return EXIT_FAILED
    busy = stack.busy_ports()  # first: a busy port is the likelier mistake, and it is quick to tell
    if busy:
        print(f"Kan ikke starte.\n{PortsBusyError(busy)}", file=sys.stderr)
        return EXIT_PORT_BUSY
    if not stack.model.exists():
        print(f"Ingen aktuel model ({stack.model.name}); kør `make train` først.", file=sys.stderr)
        return EXIT_FAILED
    for path in ensure_secrets():
        print(f"Oprettede {path} (kun læsbar for ejeren).")
    print(f"Starter med modellen {stack.model.name}; log i {stack.log_dir} ...", flush=True)
    try:
        stack.start()
    except PortsBusyError as error:  # taken between the check above and the start
        print(f"Kan ikke starte.\n{error}", file=sys.stderr)
        return EXIT_PORT_BUSY
    except (RuntimeError, TimeoutError) as error:
        print(f"Kunne ikke starte: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\nStoppet.")
        return 0
    print(f"Action-server: {stack.action_url}")
    print(f"Rasa-server:   {stack.rasa_url}  (REST: /webhooks/rest/webhook, socket.io)")
    token_file = settings.secret_file(settings.RASA_AUTH_TOKEN_VARIABLE)
    print(f"HTTP-API:      kræver ?token=... (RASA_AUTH_TOKEN, ellers tokenet i {token_file})")
    if stack.web_url:
        print(f"Webside:       {stack.web_url}")
    print(f"Klar (pid {os.getpid()}; servere {', '.join(map(str, stack.pids()))}). Ctrl-C stopper det hele.",
          flush=True)  # fmt: skip
    return serve_until_stopped(stack)
