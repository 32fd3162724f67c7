"""`python -m bot run`: start the action server, the Rasa server and the web page; Ctrl-C stops all."""

from __future__ import annotations

import argparse
import signal
import time

from bot import settings
from bot.server_secrets import ensure_secrets
from bot.stack import Stack
from bot.training import current_model_path


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser("run", help="Start assistenten (action-server, Rasa-server, webside)")
    run.add_argument("--no-web", action="store_true", help="Start ikke websiden")
    run.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    model = current_model_path()
    if not model.exists():
        print(f"No current model ({model.name}); run `make train` first.")
        return 1
    for path in ensure_secrets():
        print(f"Created {path} (mode 0600).")
    stack = Stack(
        action_port=settings.port("ACTION_PORT", settings.ACTION_PORT_DEFAULT),
        rasa_port=settings.port("RASA_PORT", settings.RASA_PORT_DEFAULT),
        web_port=None if args.no_web else settings.port("WEB_PORT", settings.WEB_PORT_DEFAULT),
        model=model,
    )
    print(f"Starting with model {model.name}; logs in {stack.log_dir} ...", flush=True)
    stack.start()
    print(f"Action server: {stack.action_url}")
    print(f"Rasa server:   {stack.rasa_url}  (REST: /webhooks/rest/webhook, socket.io)")
    token_source = settings.secret_file(settings.RASA_AUTH_TOKEN_VARIABLE)
    print(f"HTTP API:      needs ?token=... (RASA_AUTH_TOKEN, else the token in {token_source})")
    if stack.web_url:
        print(f"Web page:      {stack.web_url}")
    print("Ready. Ctrl-C stops everything.", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while all(p.poll() is None for p in stack.processes.values()):
            time.sleep(1)
        stopped = [name for name, p in stack.processes.items() if p.poll() is not None]
        print(f"Stopped unexpectedly: {', '.join(stopped)}; see {stack.log_dir}")
        return 1
    except KeyboardInterrupt:
        print("\nStopping ...")
        return 0
    finally:
        stack.stop()
