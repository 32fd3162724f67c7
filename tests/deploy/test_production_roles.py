"""The image's roles as a region runs them, on this machine: deploy/entrypoint.sh starts the action
server and the Rasa server with deploy/endpoints.yml (PostgreSQL tracker store, Redis lock store,
the action server's secret) and every secret given as a file, the way compose mounts them.
A question over REST is answered from the services database in PostgreSQL, the conversation is
stored in the tracker database, and the HTTP API wants the token. (Several instances, faults and
nginx in front: the production profile's tests.)"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot import settings
from bot.catalogue import import_catalogue
from bot.stack import answers, free_port

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"


def new_database(server, prefix: str) -> str:  # noqa: ANN001 - the PostgresServer fixture
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    engine = create_engine(server.url(), isolation_level="AUTOCOMMIT", future=True)
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.url(name)


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not answers(url):
        if process.poll() is not None:
            pytest.fail(f"{url}: the process stopped ({process.returncode}):\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer in {timeout:.0f} s:\n{log.read_text()[-3000:]}")
        time.sleep(1)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


@pytest.fixture(scope="module")
def production_roles(postgres_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:  # noqa: ANN001
    from bot.training import train_if_needed

    model = train_if_needed()
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        pytest.fail("redis-server is missing (apt-get install redis-server)")
    work = tmp_path_factory.mktemp("roles")
    services_url = new_database(postgres_server, "sundhedshus")
    from bot import migrate

    migrate.upgrade(services_url)
    import_catalogue(settings.SAMPLE_CATALOGUE, url=services_url)
    tracker_url = new_database(postgres_server, "rasa_tracker")
    redis_port, action_port, rasa_port = free_port(), free_port(), free_port()
    redis_password = uuid.uuid4().hex
    secrets = {
        "DATABASE_URL": services_url,
        "TRACKER_DB_URL": tracker_url,
        "RASA_AUTH_TOKEN": uuid.uuid4().hex,
        "ACTION_SERVER_TOKEN": uuid.uuid4().hex,
        "WIDGET_SESSION_SECRET": uuid.uuid4().hex,
        "REDIS_PASSWORD": redis_password,
        "RATE_LIMIT_STORAGE": f"redis://:{redis_password}@127.0.0.1:{redis_port}/0",
    }
    files = {}
    for name, value in secrets.items():
        path = work / name.lower()
        path.write_text(value, encoding="utf-8")
        files[f"{name}_FILE"] = str(path)
    environment = {
        **settings.QUIET_TOOLS,
        "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "HOME": str(work),
        "BIND_HOST": "127.0.0.1",
        "ACTION_PORT": str(action_port),
        "RASA_PORT": str(rasa_port),
        "RASA_MODEL": str(model),
        "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis_port),
        "REDIS_LOCK_DB": "1",
        "CORS_ORIGINS": "https://chat.region.example",
        "DATA_CONTROLLER_NAME": "Region Eksempel",
        "DATA_CONTROLLER_CONTACT": "dpo@region.example",
        **files,
    }
    processes: list[subprocess.Popen] = []

    def start(name: str, command: list[str]) -> tuple[subprocess.Popen, Path]:
        log = work / f"{name}.log"
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=open(log, "wb"),  # noqa: SIM115
                                   stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        processes.append(process)
        return process, log

    try:
        start("redis", [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--requirepass", redis_password])  # fmt: skip
        actions, actions_log = start("actions", ["sh", str(ENTRYPOINT), "actions"])
        wait_for(f"http://127.0.0.1:{action_port}/health", actions, actions_log, 120)
        rasa, rasa_log = start("rasa", ["sh", str(ENTRYPOINT), "rasa"])
        wait_for(f"http://127.0.0.1:{rasa_port}/version", rasa, rasa_log, 420)
        yield {"rasa_url": f"http://127.0.0.1:{rasa_port}", "secrets": secrets, "tracker_url": tracker_url,
               "redis_port": redis_port}  # fmt: skip
    finally:
        for process in reversed(processes):
            stop(process)


def post(url: str, body: dict) -> tuple[int, object]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def test_a_question_is_answered_through_the_production_endpoints(production_roles: dict) -> None:
    sender = f"deploy-{uuid.uuid4().hex[:8]}"
    question = {"sender": sender, "message": "hvor kan jeg få taget en blodprøve i Helsingør?"}
    status, replies = post(f"{production_roles['rasa_url']}/webhooks/rest/webhook", question)
    assert status == 200
    reply = " ".join(r.get("text", "") for r in replies)
    assert "Helsingør" in reply, reply  # the action server answered from the PostgreSQL services database
    engine = create_engine(production_roles["tracker_url"], future=True)
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar()
    engine.dispose()
    assert stored > 0  # the conversation is in PostgreSQL
    # The conversation was locked in Redis (RedisLockStore sets and deletes one key per message).
    import redis

    client = redis.Redis(
        port=production_roles["redis_port"], password=production_roles["secrets"]["REDIS_PASSWORD"]
    )
    commands = client.info("commandstats")
    client.close()
    assert commands.get("cmdstat_set", {}).get("calls", 0) >= 1, commands
    assert commands.get("cmdstat_del", {}).get("calls", 0) >= 1, commands


def test_the_http_api_needs_the_token(production_roles: dict) -> None:
    base = production_roles["rasa_url"]
    assert not answers(f"{base}/status")
    token = production_roles["secrets"]["RASA_AUTH_TOKEN"]
    assert answers(f"{base}/status?token={token}")
