"""Fixtures: the engines of each engine set, started once per test session by the server's own
code — `embedded` (FalkorDB + osmem) and `local` (Neo4j 5 + OpenSearch 2.19 JVMs). Every test
that touches the graph or the index runs on both (its id ends in `[embedded]` or `[local]`);
`HANARO_TEST_ENGINES=embedded` narrows a run while developing.

Each test gets its own graph and index: on FalkorDB a graph of its own, on Neo4j Community (one
database) the graph is emptied after each test, and the test's indexes are deleted."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph.institutions import upsert_institutions
from server.app import create_app
from server.engines import Backends, EngineChildren, connect, start_engines
from server.runtime import Runtime, running
from server.settings import Settings
from tests.support.api import Api
from tests.support.engines import discard
from tests.support.institutions import institution
from tests.support.scheduling import UNDER_TEST, EngineSetScheduling

_counter = itertools.count()

# The suite's JVMs (the local engine set, and those tests start of their own) live minutes: C1
# alone compiles enough for them, and C2's compiling took most of Neo4j's CPU in a test session
# on two cores (`RETURN $a`: 3.1 -> 1.3 ms of Neo4j CPU per statement; a small write 11.0 ->
# 4.3). Set before any engine starts; the environment still wins. Benchmarks keep C2.
os.environ.setdefault("JDK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=1")


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hanaro")


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> EngineSetScheduling:
    """`make test` runs two pytest-xdist workers: all tests of one engine set go to one worker,
    so each worker starts one shared engine set and the sets run side by side (tests with
    engines of their own go to either)."""
    return EngineSetScheduling(config, log)


@pytest.fixture(scope="session", params=UNDER_TEST)
def engine_set(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def engines(engine_set: str, session_dir: Path) -> Iterator[EngineChildren]:
    """The engine set's processes. In one process pytest runs every test of one set before it
    starts the other; under `make test` each set has a worker of its own."""
    local = {k: v for k, v in os.environ.items() if k.startswith("HANARO_LOCAL_")}
    children = start_engines(
        replace(Settings.from_env(local), engines=engine_set, data_dir=session_dir / engine_set)
    )
    yield children
    children.stop()


@pytest.fixture
def settings(session_dir: Path, engine_set: str) -> Settings:
    n = next(_counter)
    return replace(
        Settings(),
        engines=engine_set,
        data_dir=session_dir / engine_set,
        graph_name=f"test-{n}-{uuid.uuid4().hex[:6]}",
        search_index=f"test-{n}-resources",
        jwt_secret="test-secret-0123456789-abcdefghijklmnop",
        sync_interval_ms=50,
        # Off for the suite (tests/test_limits.py sets its own low limits).
        rate_limit_staff_per_minute=0,
        rate_limit_anonymous_per_minute=0,
    )


@pytest.fixture
async def backends(settings: Settings, engines: EngineChildren) -> AsyncIterator[Backends]:
    """Backends on the shared engine processes; closing them leaves the processes running."""
    backends = await connect(settings, engines)
    yield backends
    await discard(backends)
    await backends.close()


@pytest.fixture
async def runtime(backends: Backends) -> AsyncIterator[Runtime]:
    async with running(backends) as rt:
        yield rt


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as c:
        yield c


JEJU_CITY = "50110"


@pytest.fixture
async def api(client: httpx.AsyncClient, runtime: Runtime) -> Api:
    await upsert_institutions(
        runtime.backends.graph,
        [
            institution("ins_owner01", "5011025000", name="한림종합사회복지관"),
            institution("ins_region01", "5011031000", sector="PUBLIC", kind="COMMUNITY_CENTER"),
            institution("ins_partner01", "5013051000"),
            institution("ins_other001", "5013025000"),
        ],
        "2026-01-01T00:00:00.000Z",
    )
    return Api(client, runtime)


@pytest.fixture
def tokens(api: Api) -> dict[str, str]:
    """A caseworker's (and some admins') token at each institution of `api`; modules whose
    tests need other institutions define their own `tokens`."""
    return {
        "owner": api.token("ins_owner01", "CASEWORKER"),
        "owner_admin": api.token("ins_owner01", "ADMIN"),
        "partner": api.token("ins_partner01", "CASEWORKER"),
        "region": api.token("ins_region01", "CASEWORKER"),
        "other": api.token("ins_other001", "CASEWORKER"),
        "other_admin": api.token("ins_other001", "ADMIN"),
        "platform": api.token("ins_other001", "PLATFORM_ADMIN"),
    }
