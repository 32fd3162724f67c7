"""The production profile's parts that need no Rasa server: nginx's generated configuration (checked
by nginx itself), the apology with a number to call, the stand-in action server over HTTP, and the
lock store with Redis present and absent. Missing nginx or redis-server FAILS (make test installs them).
"""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot import settings, wording
from bot.production import outage
from bot.production.nginx import NginxConfig
from bot.production.redis_server import Redis
from bot.production.tools import find_tools
from bot.stack import free_port


def test_the_generated_nginx_config_is_valid_and_publishes_only_the_public_routes(tmp_path: Path) -> None:
    tools = find_tools()
    config = NginxConfig(
        root=tmp_path / "nginx", log_dir=tmp_path / "logs",
        public_port=free_port(), internal_port=free_port(),
        rasa_ports=[free_port(), free_port()], action_ports=[free_port(), free_port()],
        fallback_port=free_port(), web_port=free_port(), last_resort_text=outage.general_apology(),
    )  # fmt: skip
    config.write()
    checked = subprocess.run(
        [str(tools.nginx), "-t", *config.command(tools.nginx)[1:]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    text = config.config_file.read_text(encoding="utf-8")
    assert "ip_hash;" in text  # socket.io is sticky
    assert '"$request_method $uri"' in text and "$request " not in text  # no ?token=... in the log
    public = text.split("server {  # public")[1].split("server {  # internal")[0]
    routed = [line.split()[1] for line in public.splitlines() if line.strip().startswith("location")]
    assert routed == ["/webhooks/", "/socket.io/", "/"]
    assert "proxy_pass http://rasa" not in public.split("location / {")[1]  # "/" is the web page only
    assert json.dumps(outage.general_apology(), ensure_ascii=False)[1:-1] in text


def test_apology_names_the_region_of_the_house_when_its_entry_point_number_is_a_sample(
    sample_database_url: str,
) -> None:
    capital = outage.apology({"house_ids": ["helsingoer"]}, sample_database_url)
    assert "1813" in capital and "Region Hovedstaden" in capital and "112" in capital
    south = outage.apology({"municipality": "Sønderborg"}, sample_database_url)
    assert "70 11 07 07" in south and "1813" not in south
    assert outage.apology({}, sample_database_url) == wording.text("outage.general")


def test_apology_names_a_real_entry_point_number(sample_database_url: str) -> None:
    from bot.db import session_scope
    from bot.models import EntryPoint

    with session_scope(sample_database_url) as session:
        entry = session.get(EntryPoint, "helsingoer")
        entry.phone = "48 29 48 84"
        name = entry.name
    reply = outage.apology({"house_ids": ["helsingoer"]}, sample_database_url)
    assert reply == wording.text("outage.entry_point", name=name, phone="48 29 48 84")


def test_apology_without_a_database_still_gives_the_general_text() -> None:
    broken = "postgresql+psycopg2://nobody:x@127.0.0.1:1/none"
    assert outage.apology({"house_ids": ["helsingoer"]}, broken) == wording.text("outage.general")


def _post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_stand_in_action_server_answers_in_rasa_sdk_format_behind_the_secret(
    sample_database_url: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **settings.child_environment(),
        "ACTION_SERVER_TOKEN": "s3cret",
        "DATABASE_URL": sample_database_url,
    }
    with open(tmp_path / "fallback.log", "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.production.fallback", "--port", str(port)],
            cwd=settings.PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, (
                    tmp_path / "fallback.log"
                ).read_text()
                time.sleep(0.3)
        body = {"next_action": "action_hours", "tracker": {"slots": {"house_ids": ["helsingoer"]}}}
        assert _post(f"http://127.0.0.1:{port}/webhook", body)[0] == 401
        assert _post(f"http://127.0.0.1:{port}/webhook?token=wrong", body)[0] == 401
        status, answer = _post(f"http://127.0.0.1:{port}/webhook?token=s3cret", body)
        assert status == 200
        assert answer == outage.action_response(
            outage.apology({"house_ids": ["helsingoer"]}, sample_database_url)
        )
    finally:
        process.terminate()
        process.wait(timeout=20)


# ------------------------------------------------------------------------------- lock store


@pytest.fixture
def redis_server(tmp_path: Path):
    tools = find_tools()
    redis = Redis(tools.redis_server, tmp_path / "redis", free_port(), "pw-for-test")
    redis.write_config()
    process = subprocess.Popen(redis.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while not redis.answers():
        assert time.monotonic() < deadline and process.poll() is None, "redis-server did not start"
        time.sleep(0.1)
    yield redis
    process.terminate()
    process.wait(timeout=20)


def _lock_store(port: int, password: str = "pw-for-test"):
    from rasa.utils.endpoints import EndpointConfig

    from rasa_adapters.lock_store import ResilientRedisLockStore

    config = EndpointConfig(url="127.0.0.1", port=port, password=password, db=1, key_prefix="test")
    config.type = "rasa_adapters.lock_store.ResilientRedisLockStore"
    return ResilientRedisLockStore(endpoint_config=config)


def test_lock_store_uses_redis_and_falls_back_with_one_log_line(redis_server, caplog) -> None:
    import redis as redis_client

    store = _lock_store(redis_server.port)
    nowhere = _lock_store(free_port())
    seen: list[bytes] = []

    async def conversations() -> None:
        async with store.lock("samtale-1"):
            # the ticket is in Redis, shared by every Rasa server
            seen.extend(
                redis_client.Redis(port=redis_server.port, password="pw-for-test", db=1).keys("test:*")
            )
        for _ in range(3):
            async with nowhere.lock("samtale-2"):
                pass

    with caplog.at_level(logging.WARNING, logger="rasa_adapters.lock_store"):
        asyncio.run(conversations())
    assert seen and store.using_redis
    down = [r for r in caplog.records if "Redis er utilgængelig" in r.getMessage()]
    assert len(down) == 1 and not nowhere.using_redis


def test_prepare_writes_the_configs_and_the_terminal_says_where_everything_is() -> None:
    import shutil
    import tempfile

    from bot.cli.run_production import describe
    from bot.production import ProductionStack

    root = Path(tempfile.mkdtemp(prefix="bot-prod-prepare-"))
    try:
        stack = ProductionStack(root=root, instances=3, public_port=free_port(), model=Path("model.tar.gz"))
        stack.prepare()
        assert (root / "postgres" / "data" / "PG_VERSION").exists()
        assert oct((root / "secrets" / "postgres-password").stat().st_mode)[-3:] == "600"
        endpoints = (root / "endpoints.yml").read_text(encoding="utf-8")
        assert "ResilientRedisLockStore" in endpoints and "dialect: postgresql" in endpoints
        assert stack.postgres.password not in endpoints  # from the environment, not the file
        lines = "\n".join(describe(stack))
        assert f"{stack.public_url}/webhooks/rest/webhook" in lines and "Rasa-server 3" in lines
        rasa_commands = [name for name in stack._commands if name.startswith("rasa-")]
        assert rasa_commands == ["rasa-1", "rasa-2", "rasa-3"]
    finally:
        shutil.rmtree(root, ignore_errors=True)
