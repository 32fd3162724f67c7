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


def test_the_heap_freed_by_loading_the_model_goes_back_to_the_kernel():
    """rasa.core.run's model loader is wrapped once; the wrapper returns the agent and trims the heap."""
    import asyncio
    import types

    from rasa_adapters.rasa_server import release_memory_after_model_load

    async def load_agent_on_start(model_path, app):  # what Rasa's loader leaves behind: freed garbage
        garbage = [str(i) * 20 for i in range(2_000_000)]
        del garbage
        return f"agent for {model_path}"

    run_module = types.SimpleNamespace(load_agent_on_start=load_agent_on_start)
    release_memory_after_model_load(run_module)
    wrapped = run_module.load_agent_on_start
    release_memory_after_model_load(run_module)  # installed once
    assert run_module.load_agent_on_start is wrapped

    assert asyncio.run(wrapped("models/x.tar.gz", app=None)) == "agent for models/x.tar.gz"
    assert wrapped.__name__ == "load_agent_on_start"


def test_release_free_heap_gives_freed_malloc_memory_back():
    code = (
        "import os\n"
        "from bot.process_memory import release_free_heap, rss_bytes\n"
        "blocks = [bytes(2000) for _ in range(100_000)]\n"  # 200 MB from malloc (not Python's arenas)
        "keep = blocks[::50]\n"  # a few survivors: the freed space is not at the heap's top
        "del blocks\n"
        "before = rss_bytes(os.getpid())\n"
        "assert release_free_heap()\n"
        "print((before - rss_bytes(os.getpid())) // 2**20)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(settings.PROJECT_ROOT)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=environment, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout) > 100  # MB handed back
