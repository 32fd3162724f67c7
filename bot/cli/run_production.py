"""`python -m bot run --production` (`make run-prod`): the production profile on this machine.

PostgreSQL, Redis, PROD_INSTANCES Rasa servers and action servers, the stand-in for failed
actions, the demo page and nginx, all on loopback, state under PROD_DIR (var/prod). Ctrl-C
stops everything; its servers stop when it dies (bot.stack).
"""

from __future__ import annotations

import os
import sys

from bot import settings
from bot.cli.exit_codes import EXIT_FAILED, EXIT_PORT_BUSY
from bot.cli.supervise import serve_until_stopped
from bot.production import MissingToolsError, ProductionStack
from bot.server_secrets import ensure_secrets
from bot.stack import PortsBusyError
from bot.training import current_model_path


def describe(stack: ProductionStack) -> list[str]:
    """Where everything is, in Danish, for the terminal."""
    lines = [
        f"Offentlig adresse (nginx): {stack.public_url}",
        f"  REST:      {stack.public_url}/webhooks/rest/webhook",
        f"  Widget:    {stack.public_url}/socket.io/ (sticky pr. klientadresse)",
        f"  Webside:   {stack.public_url}/",
        "Internt (kun loopback, ikke via nginx' offentlige port):",
    ]
    for index, port in enumerate(stack.rasa_ports):
        lines.append(f"  Rasa-server {index + 1}:   http://127.0.0.1:{port} (HTTP-API kræver ?token=...)")
    for index, port in enumerate(stack.action_ports):
        lines.append(f"  Action-server {index + 1}: http://127.0.0.1:{port}")
    lines += [
        f"  Actions via nginx: http://127.0.0.1:{stack.internal_port}/webhook",
        f"  Nødsvar, når ingen action-server svarer: http://127.0.0.1:{stack.fallback_port}",
        f"  PostgreSQL: 127.0.0.1:{stack.postgres.port} (databaser sundhedshuse og tracker)",
        f"  Redis:      127.0.0.1:{stack.redis.port} (lock store)",
        f"Data, konfiguration og log: {stack.root}",
    ]
    return lines


def run_production() -> int:
    model = current_model_path()
    if not model.exists():
        print(f"Ingen aktuel model ({model.name}); kør `make train` først.", file=sys.stderr)
        return EXIT_FAILED
    for path in ensure_secrets():
        print(f"Oprettede {path} (kun læsbar for ejeren).")
    try:
        stack = ProductionStack(model=model)
    except ValueError as error:
        print(f"Kan ikke starte: {error}", file=sys.stderr)
        return EXIT_FAILED
    servers = f"{stack.instances} Rasa- og {stack.instances} action-servere"
    print(f"Starter produktionsprofilen ({servers}); log i {stack.log_dir} ...", flush=True)
    try:
        stack.start()
    except MissingToolsError as error:
        print(str(error), file=sys.stderr)
        return EXIT_FAILED
    except PortsBusyError as error:
        print(f"Kan ikke starte.\n{error}", file=sys.stderr)
        return EXIT_PORT_BUSY
    except (RuntimeError, TimeoutError) as error:
        print(f"Kunne ikke starte: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\nStoppet.")
        return 0
    print("\n".join(describe(stack)))
    token_file = settings.secret_file(settings.RASA_AUTH_TOKEN_VARIABLE)
    print(f"HTTP-API-token: RASA_AUTH_TOKEN, ellers {token_file}")
    print(f"Klar på {stack.start_seconds:.0f} s (pid {os.getpid()}). Ctrl-C stopper det hele.", flush=True)
    return serve_until_stopped(stack)
