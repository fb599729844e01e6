"""The local engine set's own parts: Korean analysis (`nori`) on the real OpenSearch, the
launchers' lifecycle (a SIGKILLed Hanaro leaves no JVM behind) and the one-line errors when
Java or Maven is missing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from dataclasses import replace

import pytest

from server.local_engines import NEO4J, JavaProgram, fetch, neo4j_settings
from server.process import StartupError
from tests.support.cli import HANARO, engine_processes, free_port
from tests.support.resources import register
from tests.support.scheduling import LOCAL_ONLY
from tests.support.search import SEARCH


@pytest.fixture
def settings(settings):
    """This module's servers add the `.nori` subfields (HANARO_SEARCH_NORI)."""
    return replace(settings, search_nori=True)


@LOCAL_ONLY
async def test_nori_subfields_analyse_korean_on_the_local_opensearch(api):
    """The launcher registers Lucene's Korean analyzer under analysis-nori's names: the
    `.nori` subfields split eojeol into morphemes, and searchResources finds a resource
    through them."""
    owner = api.token("ins_owner01", "REGISTRANT")
    created = await register(api, owner, name="어르신 도시락을 배달해 드립니다")
    search = api.runtime.backends.search
    alias = api.runtime.settings.search_index
    analysed = await search.indices.analyze(
        index=alias, body={"field": "name.nori", "text": "도시락을 배달해"}
    )
    assert [t["token"] for t in analysed["tokens"]] == ["도시락", "배달"]
    deadline = time.monotonic() + 30
    body = {"query": {"match": {"name.nori": {"query": "배달하는 도시락", "operator": "and"}}}}
    while True:  # the sync loop indexes the new resource
        found = await search.search(index=alias, body=body)
        if found["hits"]["hits"] or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.1)
    assert [hit["_id"] for hit in found["hits"]["hits"]] == [created["id"]]
    hits = (await api.ok(SEARCH, {"input": {"text": "도시락 배달"}}, owner))["searchResources"]
    assert created["id"] in [h["resource"]["id"] for h in hits["hits"]]


KEEP_ALIVE = "server.bolt.connection_keep_alive_for_requests"


def test_the_local_neo4j_sends_no_keep_alives_unless_configured_to():
    assert neo4j_settings(512, ()) == ("512", f"{KEEP_ALIVE}=OFF")
    # HANARO_LOCAL_NEO4J_CONFIG names the setting: its value alone, no duplicate.
    assert neo4j_settings(64, (f"{KEEP_ALIVE}=ALL", "db.logs.query.enabled=OFF")) == (
        "64",
        f"{KEEP_ALIVE}=ALL",
        "db.logs.query.enabled=OFF",
    )


@LOCAL_ONLY
async def test_the_shared_local_neo4j_runs_with_keep_alives_off(backends):
    """Without keep-alives the server sends the driver no read-timeout hint, which costs the
    Python driver a timer task per socket read (docs/benchmarks.md)."""
    rows = await backends.graph.run(
        "SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value", {"name": KEEP_ALIVE}
    )
    assert rows == [{"value": "OFF"}]


def test_a_killed_hanaro_leaves_no_engine_behind(tmp_path):
    """SIGKILL gives Hanaro no chance to stop its children: the JVMs see their input pipe
    close and shut down by themselves."""
    port = free_port()
    process = subprocess.Popen(
        [HANARO, "serve", "--port", str(port), "--data-dir", str(tmp_path), "--engines", "local"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 240
        while len(engine_processes(tmp_path)) < 2:  # both JVMs run with their data dir
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.5)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 60
    while engine_processes(tmp_path):
        assert time.monotonic() < deadline, engine_processes(tmp_path)
        time.sleep(0.5)


def test_missing_java_or_maven_is_one_clear_line(tmp_path, monkeypatch):
    program = JavaProgram(NEO4J.name, NEO4J.launcher)
    monkeypatch.setenv("HANARO_LOCAL_ENGINES_DIR", str(tmp_path))
    (tmp_path / program.name).mkdir()
    (tmp_path / program.name / "pom.xml").write_text("<project/>")
    (tmp_path / program.name / f"{program.launcher}.java").write_text("class X {}")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(StartupError, match=r"need `java` \(Java 17 and Maven\) on PATH"):
        fetch(program, say=lambda _: None)
