"""The container image definition and the compose file, checked without a container engine:
the files they copy exist and reach the build, every HANARO_* setting they give exists, reads
and is documented, the image's command is one `hanaro` accepts, it runs as a non-root user, its
health check asks /readyz, and the compose replicas reach the engines it defines."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from server.cli import _parser
from server.settings import Settings
from tests.support.cli import free_port
from tests.support.deploy_files import (
    COMPOSE,
    DOCKERFILE,
    compose,
    dockerignored,
    exec_form,
    interpolate,
    stages,
)
from tests.support.doc_examples import ROOT

SETTINGS = (ROOT / "server" / "settings.py").read_text(encoding="utf-8")
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
# What the operator exports before `docker compose up` (docs/operations.md).
OPERATOR = {
    "NEO4J_PASSWORD": "a-long-password",
    "HANARO_JWT_SECRET": "x" * 40,
    "HANARO_IDENTITY_SECRET": "y" * 40,
}


def hanaro_services() -> dict[str, dict]:
    return {
        name: service
        for name, service in compose()["services"].items()
        if service.get("build", {}).get("dockerfile") == "deploy/Dockerfile"
    }


def image_environment() -> dict[str, str]:
    """The final stage's ENV, `A=1 B=2` form."""
    found: dict[str, str] = {}
    for instruction in stages()[-1].all("ENV"):
        for pair in re.findall(r"(\w+)=(\S+)", instruction.arguments):
            found[pair[0]] = pair[1]
    return found


def test_every_copied_file_exists_and_reaches_the_build():
    for stage in stages():
        for instruction in stage.all("COPY"):
            parts = instruction.arguments.split()
            if any(p.startswith("--from=") for p in parts):
                source_stage = next(p for p in parts if p.startswith("--from="))[7:]
                assert source_stage in {s.name for s in stages()}, instruction
                continue
            for source in [p for p in parts if not p.startswith("--")][:-1]:
                assert (ROOT / source).exists(), f"{instruction.arguments}: {source} is missing"
                assert not dockerignored(source), f"{source} is left out by .dockerignore"


def test_the_build_context_leaves_out_local_state():
    for path in (".venv", "web/node_modules", "web/dist", "data", "local_engines/neo4j/lib"):
        assert dockerignored(path), path
    for path in ("demo/data", "graph/seed", "hsds/schema", "web/src", "schema.graphql"):
        assert not dockerignored(path), path


def test_every_hanaro_setting_exists_reads_and_is_documented():
    variables: dict[str, str] = dict(image_environment())
    for service in hanaro_services().values():
        for name, value in service["environment"].items():
            variables[name] = interpolate(str(value), OPERATOR)
    hanaro = {k: v for k, v in variables.items() if k.startswith("HANARO_")}
    assert "HANARO_NEO4J_URI" in hanaro and "HANARO_ELASTICSEARCH_URL" in hanaro
    for name in hanaro:
        assert f'"{name}"' in SETTINGS, f"{name} is not read by server/settings.py"
        assert f"`{name}`" in CONFIGURATION, f"{name} is not in docs/configuration.md"
    settings = Settings.from_env(hanaro)  # every value is one the server accepts
    assert settings.graph_kind == "external" and settings.search_kind == "external"
    assert settings.trusted_documents is None  # off unless the operator sets it


def test_the_command_is_one_hanaro_accepts():
    final = stages()[-1]
    assert not final.all("ENTRYPOINT")
    (cmd,) = final.all("CMD")
    program, *arguments = exec_form(cmd.arguments)
    assert program == "hanaro" and 'hanaro = "server.cli:main"' in (
        ROOT / "pyproject.toml"
    ).read_text(encoding="utf-8")
    try:
        parsed = _parser().parse_args(arguments)
    except SystemExit:
        pytest.fail(f"`hanaro {' '.join(arguments)}` is refused by the CLI's parser")
    assert parsed.command == "serve"
    environment = image_environment()
    assert environment["HANARO_HOST"] == "0.0.0.0"  # reachable from outside the container
    assert Path(environment["HANARO_DATA_DIR"]).is_absolute()


def test_the_image_runs_as_a_user_it_creates_not_root():
    final = stages()[-1]
    users = final.all("USER")
    assert users, "the image runs as root"
    user = users[-1].arguments.split(":")[0]
    assert user not in {"root", "0"}
    created = " ".join(i.arguments for i in final.all("RUN"))
    assert re.search(rf"useradd [^&]*\b{re.escape(user)}\b", created), created
    assert f"chown {user}" in created  # its data directory


def test_the_health_check_asks_readyz_on_the_served_port():
    (check,) = stages()[-1].all("HEALTHCHECK")
    assert "/readyz" in check.arguments and "HANARO_PORT" in check.arguments
    assert "EXPOSE 8000" in DOCKERFILE.read_text() and image_environment()["HANARO_PORT"] == "8000"


def test_the_web_app_and_its_manifest_are_built_into_the_image():
    web, final = stages()[0], stages()[-1]
    assert web.base.startswith("node:") and any("npm ci" in i.arguments for i in web.all("RUN"))
    assert any("npm run build" in i.arguments for i in web.all("RUN"))
    copied = " ".join(i.arguments for i in final.all("COPY") if f"--from={web.name}" in i.arguments)
    assert "web/dist" in copied and "persisted-documents.json" in copied
    assert final.base.startswith("python:3.11-slim")


def test_compose_runs_two_replicas_on_neo4j_5_and_opensearch_2_19():
    services = compose()["services"]
    replicas = hanaro_services()
    assert len(replicas) == 2
    images = {name: service.get("image", "") for name, service in services.items()}
    assert any(re.fullmatch(r"neo4j:5[.\d]*(-community|-enterprise)?", i) for i in images.values())
    assert any(i.startswith("opensearchproject/opensearch:2.19") for i in images.values())
    published = [p.split(":")[0] for s in replicas.values() for p in s.get("ports", [])]
    assert len(published) == len(set(published)) == 2
    for name, service in replicas.items():
        assert (COMPOSE.parent / service["build"]["context"]).resolve() == ROOT, name
        environment = {k: interpolate(str(v), OPERATOR) for k, v in service["environment"].items()}
        for variable in ("HANARO_NEO4J_URI", "HANARO_ELASTICSEARCH_URL"):
            host = urlparse(environment[variable]).hostname
            assert host in services, f"{name}: {variable} names {host}, not a service"
            assert services[host].get("healthcheck"), host
            assert service["depends_on"][host]["condition"] == "service_healthy"
    # One secret for both: a token either signs, the other accepts.
    secrets = {str(s["environment"]["HANARO_JWT_SECRET"]) for s in replicas.values()}
    assert len(secrets) == 1 and ":?" in secrets.pop()


@pytest.mark.parametrize("path", [DOCKERFILE, COMPOSE])
def test_operations_explain_the_file(path: Path):
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert str(path.relative_to(ROOT)) in operations


def test_the_image_command_serves_and_its_health_check_tells_ready_from_down(tmp_path):
    """The image's CMD with its ENV (but on 127.0.0.1 and a free port, embedded engines in a
    scratch /data): the HEALTHCHECK command, run by a shell as the engine would, passes while
    it serves and fails once it has stopped."""
    (cmd,) = stages()[-1].all("CMD")
    (check,) = stages()[-1].all("HEALTHCHECK")
    probe = check.arguments.split(" CMD ", 1)[1]
    port = str(free_port())
    env = {
        **os.environ,
        **image_environment(),
        "HANARO_HOST": "127.0.0.1",
        "HANARO_PORT": port,
        "HANARO_DATA_DIR": str(tmp_path),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    program, *arguments = exec_form(cmd.arguments)
    server = subprocess.Popen(
        [program, *arguments], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 90
        while subprocess.run(["sh", "-c", probe], env=env, capture_output=True).returncode:
            assert server.poll() is None, "hanaro serve exited"
            assert time.monotonic() < deadline, "never ready"
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert subprocess.run(["sh", "-c", probe], env=env, capture_output=True).returncode != 0
