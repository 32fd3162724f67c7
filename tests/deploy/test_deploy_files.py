"""The deployment files a region uses (deploy/), checked with the tools' own validators where
they install and against the vendored schemas otherwise, and against the project itself.

- compose.yml: `docker-compose config` (Debian's docker-compose 1.29, installed by
  scripts/setup-test-tools.sh) and the compose-spec JSON schema (tests/deploy/vendor/).
- nginx.conf: `nginx -t`, and only /webhooks/ and /socket.io/ of Rasa are public.
- Helm values: `helm` is packaged for neither Debian, PyPI nor npm, so every key must exist in the
  chart's default values.yaml and the values must pass the chart's values.schema.json (what
  `helm template` checks); the chart's endpoints template is re-done here for what we use.
- Everywhere: every variable bot/settings.py reads that production needs is set, and the image
  installs the pinned requirements.lock.
A missing tool fails the test (never a skip): `make test` installs them.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENDOR = Path(__file__).resolve().parent / "vendor"
CHARTS = VENDOR / "rasa-helm-charts"
SETUP_HINT = "run scripts/setup-test-tools.sh (make test does)"

COMPOSE_ENV = {
    "SUNDHEDSHUS_IMAGE": "registry.region.example/sundhedshus-assistent:test",
    "PUBLIC_ORIGIN": "https://chat.region.example",
    "DATA_CONTROLLER_NAME": "Region Eksempel",
    "DATA_CONTROLLER_CONTACT": "dpo@region.example",
}
SECRET_FILES = (
    "postgres_password", "redis_password", "database_url", "tracker_db_url", "rate_limit_storage",
    "rasa_auth_token", "action_server_token", "widget_session_secret", "microsoft_app_password",
    "tls_cert.pem", "tls_key.pem",
)  # fmt: skip

# ------------------------------------------------------------------ what production needs
# Every variable bot/settings.py reads is in exactly one of these two tables, so a new variable
# forces a decision here.
PRODUCTION = {
    # variable: the roles that need it
    "DATABASE_URL": {"rasa", "actions", "migrate"},
    "TRACKER_DB_URL": {"rasa", "actions"},
    "RASA_AUTH_TOKEN": {"rasa"},
    "ACTION_SERVER_TOKEN": {"rasa", "actions"},
    "WIDGET_SESSION_SECRET": {"rasa"},
    "CORS_ORIGINS": {"rasa"},
    "RATE_LIMIT_STORAGE": {"rasa"},
    "MICROSOFT_APP_ID": {"rasa"},
    "MICROSOFT_APP_PASSWORD": {"rasa"},
    "MICROSOFT_APP_TENANT_ID": {"rasa"},
    "DATA_CONTROLLER_NAME": {"rasa", "actions", "web"},
    "DATA_CONTROLLER_CONTACT": {"rasa", "actions", "web"},
    "CONVERSATION_RETENTION_DAYS": {"rasa", "actions", "web"},
    "REGISTRATION_RETENTION_DAYS": {"rasa", "actions", "web"},
    "CALLBACK_RETENTION_DAYS": {"rasa", "actions", "web"},
    "RETENTION_INTERVAL_SECONDS": {"actions"},
    "RASA_URL": {"web"},
}
NOT_SET_IN_PRODUCTION = {
    "BOT_VAR_DIR": "the Dockerfile sets it (/app/var)",
    "BIND_HOST": "the Dockerfile and the entrypoint set 0.0.0.0",
    "ACTION_PORT": "the default 5055 is the production port",
    "RASA_PORT": "the default 5005 is the production port",
    "WEB_PORT": "the default 8000 (compose sets it for clarity)",
    "WEB_HOST": "the entrypoint passes --host",
    "RASA_SHELL_PORT": "make shell only",
    "SHELL_LOG_DIR": "make shell only",
    "RASA_MODEL": "the model is baked into the image (entrypoint: /app/models)",
    "BOT_SPACY_OFFLINE": "the spaCy pipeline is built before the image, not in it",
    "TRACKER_DB_DIALECT": "SQLite only; production gives TRACKER_DB_URL",
    "TRACKER_DB": "SQLite only; production gives TRACKER_DB_URL",
    "RATE_LIMIT_PER_SENDER": "the defaults are the production limits",
    "RATE_LIMIT_PER_ADDRESS": "the defaults are the production limits",
    "MAX_MESSAGE_CHARS": "the default is the production limit",
    "MAX_BODY_BYTES": "the default is the production limit (nginx: client_max_body_size 64k)",
    "MICROSOFT_APP_TYPE": "optional (Teams single/multi-tenant detail)",
    "TF_CPP_MIN_LOG_LEVEL": "the Dockerfile sets it",
    "RASA_TELEMETRY_ENABLED": "the Dockerfile sets it (false)",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "the Dockerfile sets it",
    "MALLOC_ARENA_MAX": "the Dockerfile sets it (2)",
    "PYTHONPATH": "the Dockerfile sets it (/app)",
    "PROD_DIR": "make run-prod only (the production profile on one machine)",
    "PROD_INSTANCES": "make run-prod only; compose/Helm scale by their own replica counts",
    "PROD_PUBLIC_PORT": "make run-prod only (its nginx)",
    "PG_BINDIR": "make run-prod only (where initdb is on this machine)",
}


def variables_settings_reads() -> set[str]:
    """The environment variables bot/settings.py names (string literals in capitals)."""
    source = (ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"([A-Z][A-Z0-9_]{2,})"', source))
    if "{kind}_RETENTION_DAYS" in source:
        names |= {f"{kind}_RETENTION_DAYS" for kind in ("CONVERSATION", "REGISTRATION", "CALLBACK")}
    return names


def endpoint_variables(text: str) -> set[str]:
    """The ${VARIABLES} Rasa expands in an endpoints file (comments left out)."""
    code = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", code))


def test_every_variable_settings_reads_is_classified() -> None:
    read = variables_settings_reads()
    assert {"DATABASE_URL", "RASA_AUTH_TOKEN", "CALLBACK_RETENTION_DAYS"} <= read  # the parser works
    unclassified = read - set(PRODUCTION) - set(NOT_SET_IN_PRODUCTION)
    assert not unclassified, (
        f"bot/settings.py reads {sorted(unclassified)}: add them to PRODUCTION or NOT_SET_IN_PRODUCTION"
    )
    assert not set(PRODUCTION) & set(NOT_SET_IN_PRODUCTION)


def needed_by(role: str) -> set[str]:
    needs = {name for name, roles in PRODUCTION.items() if role in roles}
    if role == "rasa":  # what Rasa expands in the production endpoints.yml
        needs |= endpoint_variables((DEPLOY / "endpoints.yml").read_text(encoding="utf-8"))
    return needs


# ------------------------------------------------------------------------- compose


def compose_project(tmp_path: Path) -> Path:
    """deploy/'s compose files in a scratch directory with dummy secret files."""
    for name in ("compose.yml", "nginx.conf", "postgres-init.sql"):
        shutil.copy(DEPLOY / name, tmp_path / name)
    (tmp_path / "secrets").mkdir()
    for name in SECRET_FILES:
        (tmp_path / "secrets" / name).write_text("dummy\n", encoding="utf-8")
    return tmp_path


def docker_compose() -> str:
    tool = shutil.which("docker-compose")
    if tool is None:
        pytest.fail(f"docker-compose is missing: {SETUP_HINT} (apt-get install docker-compose)")
    return tool


def compose_config(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [docker_compose(), "-f", "compose.yml", "config"],
        cwd=project, env={"PATH": os.environ["PATH"], **env}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def resolved_compose(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """compose.yml as `docker-compose config` resolves it (anchors, merges, variables)."""
    result = compose_config(compose_project(tmp_path_factory.mktemp("compose")), COMPOSE_ENV)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_config_accepts_the_file(resolved_compose: dict[str, Any]) -> None:
    services = resolved_compose["services"]
    assert set(services) == {
        "postgres", "redis", "migrate", "actions-1", "actions-2", "rasa-1", "rasa-2", "web", "nginx",
    }  # fmt: skip
    for name, service in services.items():
        if name == "migrate":
            assert service["restart"] == "no"
            continue
        assert service["restart"] == "unless-stopped", name
        assert service["healthcheck"]["test"], name
    # The one image everywhere, from SUNDHEDSHUS_IMAGE.
    app = [s for n, s in services.items() if n not in {"postgres", "redis", "nginx"}]
    assert {s["image"] for s in app} == {COMPOSE_ENV["SUNDHEDSHUS_IMAGE"]}
    assert [services[n]["command"] for n in ("rasa-1", "actions-1", "web", "migrate")] == [
        ["rasa"], ["actions"], ["web"], ["migrate"],
    ]  # fmt: skip
    # Migrations first: no Rasa or action server starts before the job has succeeded.
    for name in ("rasa-1", "rasa-2", "actions-1", "actions-2"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_docker_compose_config_refuses_a_broken_file(tmp_path: Path) -> None:
    """The validator can fail: a misspelt key and a missing required setting are both refused."""
    project = compose_project(tmp_path)
    broken = (
        (project / "compose.yml")
        .read_text(encoding="utf-8")
        .replace("restart: unless-stopped", "restart_policy: always", 1)
    )
    (project / "compose.yml").write_text(broken, encoding="utf-8")
    assert compose_config(project, COMPOSE_ENV).returncode != 0
    shutil.copy(DEPLOY / "compose.yml", project / "compose.yml")
    without_image = {k: v for k, v in COMPOSE_ENV.items() if k != "SUNDHEDSHUS_IMAGE"}
    result = compose_config(project, without_image)
    assert result.returncode != 0 and "SUNDHEDSHUS_IMAGE" in result.stderr


def compose_spec_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads((VENDOR / "compose-spec" / "compose-spec.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document)]


def test_compose_file_matches_the_compose_spec_schema() -> None:
    document = yaml.safe_load((DEPLOY / "compose.yml").read_text(encoding="utf-8"))
    assert compose_spec_errors(document) == []
    broken = copy.deepcopy(document)
    broken["services"]["rasa-1"]["restart_policy"] = "always"
    assert compose_spec_errors(broken), "the schema check must be able to fail"


def test_compose_sets_what_each_role_needs(resolved_compose: dict[str, Any]) -> None:
    services = resolved_compose["services"]
    roles = {"rasa": ("rasa-1", "rasa-2"), "actions": ("actions-1", "actions-2"), "web": ("web",),
             "migrate": ("migrate",)}  # fmt: skip
    for role, names in roles.items():
        for name in names:
            environment = services[name].get("environment") or {}
            given = {key.removesuffix("_FILE") for key in environment}
            missing = needed_by(role) - given
            assert not missing, f"{name} lacks {sorted(missing)}"
            # A secret given as a file is mounted where the variable says.
            mounted = {f"/run/secrets/{s['source']}" for s in services[name].get("secrets", [])}
            files = {value for key, value in environment.items() if key.endswith("_FILE")}
            as_files = {key.removesuffix("_FILE") for key in environment if key.endswith("_FILE")}
            assert as_files <= entrypoint_secret_variables(), f"{name}: the entrypoint does not read them"
            assert files <= mounted, f"{name}: {sorted(files - mounted)} not mounted"


def test_compose_keeps_the_inside_inside(resolved_compose: dict[str, Any]) -> None:
    services = resolved_compose["services"]
    published = {name for name, s in services.items() if s.get("ports")}
    assert published == {"nginx"}
    assert resolved_compose["networks"]["internal"]["internal"] is True
    for name in ("actions-1", "actions-2", "postgres", "redis", "migrate"):
        assert set(services[name]["networks"]) == {"internal"}, name
    assert "internal" not in services["nginx"]["networks"]  # nginx cannot reach the action servers
    for name in ("actions-1", "actions-2"):
        assert services[name]["networks"]["internal"]["aliases"] == ["actions"]
    assert services["rasa-1"]["environment"]["ACTION_SERVER_URL"] == "http://actions:5055/webhook"


def entrypoint_secret_variables() -> set[str]:
    text = (DEPLOY / "entrypoint.sh").read_text(encoding="utf-8")
    return set(re.search(r'SECRET_VARIABLES="([^"]*)"', text).group(1).split())


# ----------------------------------------------------------------------- the image


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        name, sep, version = line.strip().partition("==")
        if sep:
            pins[name.lower()] = version
    return pins


def test_image_is_built_from_the_pinned_lock_as_a_non_root_user() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    instructions = [
        line.strip() for line in dockerfile.splitlines() if line.strip() and not line.startswith("#")
    ]
    final_from = [line for line in instructions if line.startswith("FROM ")][-1]
    assert re.match(r"FROM python:3\.10(\.\d+)?-slim", final_from), final_from
    assert "COPY requirements.lock" in dockerfile
    assert re.search(r"pip install -r requirements\.lock", dockerfile)
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in {"0", "root"}
    assert 'ENTRYPOINT ["/app/deploy/entrypoint.sh"]' in dockerfile
    assert "COPY ${MODEL} ./models/" in dockerfile  # the model is baked in
    # The versions the image gets are the ones requirements.in asks for and the tests ran with.
    pins = lock_pins()
    wanted = dict(re.findall(r"^(rasa|rasa-sdk)==(\S+)$", (ROOT / "requirements.in").read_text(), re.M))
    assert pins["rasa"] == wanted["rasa"] == "3.6.21"
    assert pins["rasa-sdk"] == wanted["rasa-sdk"]
    from importlib.metadata import version

    assert version("rasa") == pins["rasa"] and version("rasa-sdk") == pins["rasa-sdk"]


def test_image_copies_every_file_the_entrypoint_and_rasa_need() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    for needed in ("bot/", "actions/", "rasa_adapters/", "migrations/", "alembic.ini", "config.yml",
                   "domain.yml", "credentials.yml", "deploy/entrypoint.sh", "deploy/healthcheck.py",
                   "deploy/endpoints.yml", "var/spacy/da_pipeline/", "socket.io-client"):  # fmt: skip
        assert needed in dockerfile, needed
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "deploy/secrets", ".git"} <= set(ignored)


# ------------------------------------------------------------------- the entrypoint


def run_entrypoint(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    command = ["sh", str(DEPLOY / "entrypoint.sh"), *args]
    environment = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=30)


def test_entrypoint_reads_secrets_from_files(tmp_path: Path) -> None:
    secret = tmp_path / "rasa_auth_token"
    secret.write_text("abc123", encoding="utf-8")
    result = run_entrypoint("sh", "-c", 'printf "%s|%s" "$RASA_AUTH_TOKEN" "${RASA_AUTH_TOKEN_FILE:-unset}"',
                            env={"RASA_AUTH_TOKEN_FILE": str(secret)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == "abc123|unset"
    # Only the project's secrets: another program's *_FILE variable is left alone.
    foreign = run_entrypoint(
        "sh", "-c", 'printf "%s" "${SSL_CERT_FILE:-unset}"', env={"SSL_CERT_FILE": str(secret)}
    )
    assert foreign.stdout == str(secret)
    missing = run_entrypoint("true", env={"RASA_AUTH_TOKEN_FILE": str(tmp_path / "nowhere")})
    assert missing.returncode == 2 and "RASA_AUTH_TOKEN_FILE" in missing.stderr
    no_token = run_entrypoint("rasa", env={"CORS_ORIGINS": "https://x.example"})
    assert no_token.returncode != 0 and "RASA_AUTH_TOKEN" in no_token.stderr
    # A missing production endpoints file stops it (Rasa would fall back to SQLite and no locks).
    no_endpoints = run_entrypoint(
        "rasa",
        env={"RASA_AUTH_TOKEN": "x", "CORS_ORIGINS": "https://x.example", "RASA_ENDPOINTS": "/nowhere.yml"},
    )
    assert no_endpoints.returncode == 2 and "/nowhere.yml" in no_endpoints.stderr


# --------------------------------------------------------------------------- nginx


def nginx_binary() -> str:
    tool = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if tool is None:
        pytest.fail(f"nginx is missing: {SETUP_HINT} (apt-get install nginx)")
    return tool


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "chat.region.example")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256()))  # fmt: skip
    cert_path, key_path = directory / "tls_cert.pem", directory / "tls_key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    return cert_path, key_path


def nginx_test_copy(directory: Path, text: str) -> Path:
    """nginx.conf for `nginx -t` on this machine: the compose service names become loopback
    addresses (nginx resolves upstream names while testing) and the certificates real files."""
    cert, key = self_signed_certificate(directory)
    hosts = {"rasa-1": "127.0.0.2", "rasa-2": "127.0.0.3", "web": "127.0.0.4"}
    for host, address in hosts.items():
        text = re.sub(rf"server {re.escape(host)}:", f"server {address}:", text)
    text = text.replace("/run/secrets/tls_cert.pem", str(cert)).replace("/run/secrets/tls_key.pem", str(key))
    path = directory / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def nginx_t(directory: Path, text: str) -> subprocess.CompletedProcess:
    path = nginx_test_copy(directory, text)
    return subprocess.run([nginx_binary(), "-t", "-c", str(path), "-p", str(directory)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    result = nginx_t(tmp_path, (DEPLOY / "nginx.conf").read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    broken = (DEPLOY / "nginx.conf").read_text(encoding="utf-8").replace("ip_hash;", "ip_hash", 1)
    assert nginx_t(tmp_path, broken).returncode != 0, "nginx -t must be able to fail"


def nginx_locations(text: str) -> dict[str, str]:
    """location -> its body, for the public (TLS) server."""
    tls_server = text[text.index("listen 8443") :]
    return {m.group(1).strip(): m.group(2) for m in re.finditer(r"location\s+([^{]+)\{([^}]*)\}", tls_server)}


def test_nginx_publishes_only_the_public_routes_of_rasa() -> None:
    text = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    upstreams = dict(re.findall(r"upstream\s+(\S+)\s*\{([^}]*)\}", text))
    rasa_upstreams = {name for name, body in upstreams.items() if ":5005" in body}
    assert rasa_upstreams == {"rasa_webhooks", "rasa_socketio"}
    assert not any(":5055" in body for body in upstreams.values()), "an action server behind nginx"
    assert "ip_hash;" in upstreams["rasa_socketio"]  # socket.io sticky
    to_rasa = {loc for loc, body in nginx_locations(text).items()
               if any(f"http://{u}" in body for u in rasa_upstreams)}  # fmt: skip
    assert to_rasa == {"/webhooks/", "/socket.io/"}
    assert "return 404" in nginx_locations(text)["/"]
    assert "client_max_body_size 64k" in text


def test_kubernetes_ingress_publishes_the_same_routes() -> None:
    ingress = yaml.safe_load((DEPLOY / "helm" / "ingress.yml").read_text(encoding="utf-8"))
    paths = ingress["spec"]["rules"][0]["http"]["paths"]
    to_rasa = {p["path"] for p in paths if p["backend"]["service"]["name"] == "sundhedshus-rasa"}
    assert to_rasa == {"/webhooks/", "/socket.io/"}
    assert {p["backend"]["service"]["name"] for p in paths} == {"sundhedshus-rasa", "sundhedshus-web"}
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/affinity"] == "cookie"


# ---------------------------------------------------------------------------- Helm

HELM_FILES = {
    "rasa-values.yml": "rasa",
    "action-server-values.yml": "rasa-action-server",
    "web-values.yml": "rasa-action-server",
}


def chart_defaults(chart: str) -> dict[str, Any]:
    return yaml.safe_load((CHARTS / chart / "values.yaml").read_text(encoding="utf-8"))


def unknown_keys(values: Any, defaults: Any, path: str = "") -> list[str]:
    """Keys of `values` the chart's values.yaml does not have. Where the default is an empty
    map, a list or null, the chart takes anything (free-form: annotations, resources, env)."""
    if not isinstance(values, dict) or not isinstance(defaults, dict) or not defaults:
        return []
    found = []
    for key, value in values.items():
        where = f"{path}.{key}" if path else key
        if key not in defaults:
            found.append(where)
        else:
            found += unknown_keys(value, defaults[key], where)
    return found


def helm_values(name: str) -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "helm" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(HELM_FILES))
def test_helm_values_use_only_the_charts_keys_and_pass_its_schema(name: str) -> None:
    chart = HELM_FILES[name]
    values = helm_values(name)
    assert unknown_keys(values, chart_defaults(chart)) == []
    schema = json.loads((CHARTS / chart / "values.schema.json").read_text(encoding="utf-8"))
    errors = [
        f"{'/'.join(map(str, e.path))}: {e.message}"
        for e in jsonschema.Draft7Validator(schema).iter_errors(values)
    ]
    assert errors == []


def test_helm_checks_can_fail() -> None:
    values = helm_values("rasa-values.yml")
    values["applicationSettings"]["endpoints"]["trackerStore"]["hostname"] = "x"  # not the chart's
    values["replicaCount"] = "two"  # the schema wants an integer
    assert unknown_keys(values, chart_defaults("rasa")) == [
        "applicationSettings.endpoints.trackerStore.hostname"
    ]
    schema = json.loads((CHARTS / "rasa" / "values.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft7Validator(schema).iter_errors(values))


def merged(defaults: Any, values: Any) -> Any:
    """Helm's merge of user values over the chart's: maps merge, null deletes, the rest replaces."""
    if isinstance(defaults, dict) and isinstance(values, dict):
        result = dict(defaults)
        for key, value in values.items():
            if value is None:
                result.pop(key, None)
            else:
                result[key] = merged(defaults.get(key), value)
        return result
    return values


def rendered_endpoints(values: dict[str, Any]) -> dict[str, Any]:
    """What the rasa chart's config-map.yaml writes to endpoints.yml for these values (the parts
    we use: tracker store, lock store, additional endpoints; models and the event broker are off)."""
    settings = merged(chart_defaults("rasa"), values)["applicationSettings"]["endpoints"]
    assert not settings["models"]["enabled"] and not settings["eventBroker"]["enabled"]
    endpoints: dict[str, Any] = {}
    for section, key in (("trackerStore", "tracker_store"), ("lockStore", "lock_store")):
        if settings[section]["enabled"]:
            endpoints[key] = {k: v for k, v in settings[section].items() if k != "enabled"}
    endpoints.update(settings.get("additionalEndpoints") or {})
    return endpoints


def test_helm_endpoints_match_the_production_endpoints() -> None:
    values = helm_values("rasa-values.yml")
    helm = rendered_endpoints(values)
    compose = yaml.safe_load((DEPLOY / "endpoints.yml").read_text(encoding="utf-8"))
    assert set(helm) == set(compose) == {"action_endpoint", "tracker_store", "lock_store"}
    assert helm["action_endpoint"] == compose["action_endpoint"]  # with the shared secret
    for key in ("type", "dialect"):
        assert helm["tracker_store"][key] == compose["tracker_store"][key]
    assert helm["tracker_store"]["type"] == "rasa_adapters.tracker_store.MaskingSQLTrackerStore"
    assert helm["lock_store"]["type"] == compose["lock_store"]["type"] == "redis"
    # Channels: exactly the project's credentials.yml.
    credentials = values["applicationSettings"]["credentials"]["additionalChannelCredentials"]
    assert credentials == yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))


def helm_environment(values: dict[str, Any], chart_provides: set[str]) -> set[str]:
    env = {item["name"] for item in values.get("extraEnv", [])}
    return env | chart_provides


def test_helm_sets_what_each_role_needs() -> None:
    rasa = helm_values("rasa-values.yml")
    assert rasa["postgresql"]["install"] and rasa["redis"]["install"]
    # The chart adds these when its PostgreSQL and Redis are installed (rasa-common templates).
    chart_provides = {"DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "DB_DATABASE",
                      "REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD"}  # fmt: skip
    given = helm_environment(rasa, chart_provides)
    endpoints_text = yaml.safe_dump(rendered_endpoints(rasa))
    needs = (
        needed_by("rasa") - endpoint_variables((DEPLOY / "endpoints.yml").read_text())
    ) | endpoint_variables(endpoints_text)
    assert not needs - given, sorted(needs - given)
    assert rasa["args"] == ["rasa"] and rasa["command"] == ["/app/deploy/entrypoint.sh"]
    assert not rasa["nginx"]["enabled"] and not rasa["ingress"]["enabled"]  # routes: helm/ingress.yml
    assert rasa["replicaCount"] >= 2

    actions = helm_values("action-server-values.yml")
    assert not needed_by("actions") - helm_environment(actions, set())
    assert actions["args"] == ["actions"] and actions["replicaCount"] >= 2
    assert not actions["ingress"]["enabled"] and actions["service"]["type"] == "ClusterIP"
    assert [c["args"] for c in actions["initContainers"]] == [["migrate"]]  # migrations first
    assert not needed_by("migrate") - {e["name"] for e in actions["initContainers"][0]["env"]}
    assert rasa["extraEnv"][1] == {
        "name": "ACTION_SERVER_URL",
        "value": "http://sundhedshus-actions:5055/webhook",
    }
    assert actions["fullnameOverride"] == "sundhedshus-actions" and actions["service"]["port"] == 5055

    web = helm_values("web-values.yml")
    assert not needed_by("web") - helm_environment(web, set())


def test_no_secret_is_written_in_the_helm_values() -> None:
    for name in HELM_FILES:
        values = helm_values(name)
        for item in values.get("extraEnv", []):
            if re.search(r"TOKEN|SECRET|PASSWORD", item["name"]):
                assert "valueFrom" in item, f"{name}: {item['name']} must come from a Kubernetes secret"
    rasa = helm_values("rasa-values.yml")
    assert (
        rasa["global"]["postgresql"]["existingSecret"]
        and not rasa["global"]["postgresql"]["postgresqlPassword"]
    )
    assert not rasa["redis"]["auth"]["password"] and not rasa["global"]["redis"]["password"]


def test_every_deployment_uses_the_same_image() -> None:
    images = set()
    for name in HELM_FILES:
        values = helm_values(name)
        images.add(f"{values['image']['repository']}:{values['image']['tag']}")
        for container in values.get("initContainers", []):
            images.add(container["image"])
    assert len(images) == 1, images
