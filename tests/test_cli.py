"""The `hanaro` command end to end: help, tokens, start-up errors, and `hanaro demo` serving
on 127.0.0.1 until Ctrl-C, leaving no engine process behind."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from server.auth import TokenVerifier
from server.engines import EmbeddedFalkorDB, EngineChildren, StartupError, connect
from server.settings import Settings
from tests.support.cli import HANARO, engine_processes, free_port, run
from tests.support.scheduling import own_engines


def test_help_documents_the_commands():
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "demo", "token", "reindex", "hsds", "schema"):
        assert command in result.stdout
    serve = run("serve", "--help")
    assert "--host" in serve.stdout and "--port" in serve.stdout


def test_schema_command_writes_the_committed_sdl(tmp_path):
    """`hanaro schema` needs no engines and regenerates schema.graphql byte for byte."""
    committed = (Path(__file__).resolve().parent.parent / "schema.graphql").read_text()
    printed = run("schema", env={"HANARO_PORT": "not-a-port"})
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == committed
    written = run("schema", "--output", str(tmp_path / "schema.graphql"))
    assert written.returncode == 0 and written.stdout == ""
    assert (tmp_path / "schema.graphql").read_text() == committed


def token_command(data_dir: Path, inst: str, roles: str) -> subprocess.CompletedProcess:
    args = ["token", "--sub", "u1", "--inst", inst, "--roles", roles]
    return run(*args, "--data-dir", str(data_dir))


def test_token_command_prints_a_verifiable_token(tmp_path):
    result = token_command(tmp_path, "ins_abcdef12", "CASEWORKER,REGISTRANT")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    secret = (tmp_path / "jwt-secret").read_text()
    claims = TokenVerifier(Settings(), secret).verify(f"Bearer {token}")
    assert claims.roles == frozenset({"CASEWORKER", "REGISTRANT"})
    bad = token_command(tmp_path, "ins_abcdef12", "KING")
    assert bad.returncode == 2 and "--roles" in bad.stderr
    bad_inst = token_command(tmp_path, "hospital", "CASEWORKER")
    assert bad_inst.returncode == 2 and "--inst" in bad_inst.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("HANARO_NEO4J_URI", "bolt://127.0.0.1:{port}"),
        ("HANARO_ELASTICSEARCH_URL", "http://127.0.0.1:{port}"),
    ],
)
def test_unreachable_configured_engine_exits_with_one_clear_line(tmp_path, variable, value):
    address = value.format(port=free_port())
    result = run(
        "serve", "--data-dir", str(tmp_path), "--port", str(free_port()), env={variable: address}
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("hanaro:")]
    assert len(lines) == 1, result.stderr
    assert variable in lines[0] and address in lines[0]
    assert "Traceback" not in result.stderr
    assert not engine_processes(tmp_path)


async def test_a_graph_that_refuses_its_first_connection_is_one_clear_line(tmp_path):
    """FalkorDB's client connects when it is made, before the ping: a refusal there is the
    same one-line start-up error (a CI run once exited 1 with a traceback here)."""
    engine = EmbeddedFalkorDB.start(tmp_path)
    os.kill(engine.process.pid, signal.SIGKILL)
    engine.process.wait()
    try:
        with pytest.raises(StartupError, match="HANARO_DATA_DIR") as raised:
            await connect(Settings(data_dir=tmp_path), EngineChildren(falkordb=engine))
        assert "\n" not in str(raised.value)
    finally:
        engine.stop()


@own_engines()
def test_demo_serves_then_ctrl_c_stops_everything(tmp_path, engine_set):
    port = free_port()
    data_dir = str(tmp_path / "data")
    process = subprocess.Popen(
        [HANARO, "demo", "--port", str(port), "--data-dir", data_dir, "--engines", engine_set],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 240
        while not any("Press Ctrl-C" in line for line in list(lines)):
            assert process.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "".join(lines)
            time.sleep(0.2)
        output = "".join(lines)
        assert f"{base}/graphql" in output
        tokens = re.findall(r"^\s{4}(eyJ\S+)$", output, re.MULTILINE)
        assert len(tokens) == 6, output  # one per demo user (demo/users.py)
        # The search client's requests are not logged line by line.
        assert "httpx" not in output and "HTTP Request" not in output, output
        # The tokens can be printed again while the demo runs, without starting anything.
        again = run("demo", "--tokens", "--shell", "--data-dir", str(tmp_path / "data"))
        assert again.returncode == 0, again.stderr
        exported = dict(re.findall(r"^export (\w+)=(\S+)", again.stdout, re.MULTILINE))
        assert list(exported) == [
            "SENDER", "RECEIVER", "REGISTRANT", "REGIONAL_ADMIN", "PLATFORM_ADMIN", "PLANNER",
        ]  # fmt: skip
        sender = httpx.post(
            f"{base}/graphql",
            json={"query": "{ viewer { institution { name } } }"},
            headers={"Authorization": f"Bearer {exported['SENDER']}"},
        ).json()
        assert sender["data"]["viewer"]["institution"]["name"] == "한림읍 행정복지센터", sender

        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 200 and ready.json()["graph"] == "ok"
        engines = ready.json()["engines"]
        expected = {"embedded": ("falkordb", "osmem"), "local": ("neo4j", "opensearch")}
        assert tuple(name.split()[0] for name in engines.values()) == expected[engine_set]
        page = httpx.get(f"{base}/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()

        query = """{ viewer { anonymous } resources(first: 3) { totalCount }
                     institutions { totalCount } }"""
        public = httpx.post(f"{base}/graphql", json={"query": query}).json()["data"]
        staff = httpx.post(
            f"{base}/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {tokens[0]}"},
        ).json()["data"]
        assert public["viewer"]["anonymous"] is True
        assert staff["viewer"]["anonymous"] is False
        assert staff["institutions"]["totalCount"] >= 60
        assert staff["resources"]["totalCount"] >= 400
        # Some demo resources are listed for staff only.
        assert public["resources"]["totalCount"] < staff["resources"]["totalCount"]
        metrics = httpx.get(f"{base}/metrics").text
        assert "hanaro_search_index_lag_ms" in metrics
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, "".join(lines)
    time.sleep(0.5)
    assert not engine_processes(tmp_path, process.pid)


def test_membership_scan_runs_on_its_own_engines(tmp_path):
    result = run("membership", "scan", "--data-dir", str(tmp_path), "--region", "50110")
    assert result.returncode == 0, result.stderr
    assert "scanned 0 recipients" in result.stdout
    bad = run("membership", "scan", "--data-dir", str(tmp_path), "--region", "99999")
    assert bad.returncode == 2
    assert "unknown region code" in bad.stderr and "Traceback" not in bad.stderr
    assert not engine_processes(tmp_path)
