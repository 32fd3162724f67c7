"""rasa_adapters/rasa_server.py: `rasa run` with the API token from the environment, never argv.

Run as a real process: without a token it refuses to start (never an open API), and it refuses
a token on its own command line. Starting the real server: tests/security/test_secrets_not_in_argv.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot import settings
from rasa_adapters.rasa_server import rasa_argv


def launch(arguments: list[str], var_dir: Path, **environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in settings.SECRET_VARIABLES}
    env.update(BOT_VAR_DIR=str(var_dir), PYTHONPATH=str(settings.PROJECT_ROOT), **environment)
    return subprocess.run(
        [sys.executable, "-m", "rasa_adapters.rasa_server", *arguments],
        cwd=settings.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_the_token_goes_to_rasa_as_one_argument_that_is_never_an_option():
    assert rasa_argv(["--enable-api", "--port", "5005"], "-abc") == [
        "rasa", "run", "--enable-api", "--port", "5005", "--auth-token=-abc",
    ]  # fmt: skip


def test_without_a_token_it_refuses_to_start(tmp_path):
    result = launch(["--enable-api"], tmp_path)
    assert result.returncode == 2
    assert "RASA_AUTH_TOKEN mangler" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_token_on_the_command_line_is_refused(tmp_path):
    for option in (["--auth-token", "abc"], ["--auth-token=abc"]):
        result = launch(["--enable-api", *option], tmp_path, RASA_AUTH_TOKEN="from-the-environment")
        assert result.returncode == 2
        assert "ps" in result.stderr and "RASA_AUTH_TOKEN" in result.stderr


def test_the_token_file_is_used_when_the_variable_is_unset(tmp_path):
    from bot.server_secrets import write_secret_file

    write_secret_file(tmp_path / "secrets" / "rasa-auth-token", "from-the-file")
    # `--help`: Rasa's own CLI answers for `rasa run`, so the launcher got past the token check.
    result = launch(["--help"], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage: rasa run" in result.stdout
    assert "from-the-file" not in result.stdout + result.stderr


def test_the_server_process_never_imports_jax():
    """TensorFlow's optional jax import costs the server ~65 MB; the launcher turns it off."""
    code = (
        "import sys\n"
        "from rasa_adapters.rasa_server import skip_unused_imports\n"
        "skip_unused_imports()\n"
        "import tensorflow\n"
        "util = sys.modules['tensorflow.lite.python.util']\n"  # the module that tries `from jax import ...`
        "assert util._xla_computation is None\n"
        "assert 'jaxlib' not in sys.modules and sys.modules['jax'] is None\n"
        "print('ok')\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(settings.PROJECT_ROOT), "TF_CPP_MIN_LOG_LEVEL": "2"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=environment, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
