"""How `make test` shares the suite between its two pytest-xdist workers (tests/conftest.py):
xdist's scope scheduling, with one scope per engine set. Every test whose id names an engine
set (`[embedded]`, `[local-graph]`, ...) goes with the rest of that set to one worker, which
alone starts that set's engines — except the local-set tests of `SECOND_LOCAL_SET`'s modules,
a scope of their own (`local#2`): the local set's tests take longer than all the rest
together (Neo4j and OpenSearch answer slower than the embedded engines, and more tests are
local-only), so the worker that finishes the embedded set starts a second local set for
them; other tests are scheduled one by one — among them the tests
that start engines of their own (ids `[own-local]`, ...: `own_engines`), which need neither
worker's engines, so the worker that finishes its set first takes them.

(xdist's `--dist loadgroup` would do this from marks, but on pytest 9 it cannot rename the
test ids it groups by, so every group ends up split.)"""

from __future__ import annotations

import os

import pytest
from xdist.scheduler import LoadScopeScheduling

from server.settings import ENGINE_SETS

# The engine sets a run tests on; HANARO_TEST_ENGINES=embedded narrows a run while developing.
UNDER_TEST = tuple(
    name.strip() for name in os.environ.get("HANARO_TEST_ENGINES", "embedded,local").split(",")
)
OWN = "own"
# Modules whose local-set tests run on a second local engine set (see above): self-contained,
# each test loads a fresh demo; ~250 of the local set's ~1,450 s in a CI run of 2026-12-03.
SECOND_LOCAL_SET = ("tests/test_doc_examples.py", "tests/test_demo.py")
SECOND = "#2"
# A test that runs on the shared local engines only (Neo4j or OpenSearch themselves).
LOCAL_ONLY = pytest.mark.parametrize("engine_set", ["local"], indirect=True)


def own_engines(argname: str = "engine_set") -> pytest.MarkDecorator:
    """Parametrizes a test that starts engines of its own over the engine sets under test,
    with ids `own-embedded`, `own-local`, so it is not tied to the worker of that set."""
    return pytest.mark.parametrize(argname, UNDER_TEST, ids=[f"{OWN}-{s}" for s in UNDER_TEST])


def scope_of(nodeid: str) -> str:
    """The engine set a test runs on the shared engines of (`local#2` for the second local
    set), or its own id (a scope alone)."""
    _, bracket, params = nodeid.partition("[")
    if bracket:
        parts = params.rstrip("]").split("-")
        if OWN in parts:
            return nodeid
        for part in parts:
            if part in ENGINE_SETS:
                second = part == "local" and nodeid.partition("::")[0] in SECOND_LOCAL_SET
                return part + SECOND if second else part
    return nodeid


class EngineSetScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        return scope_of(nodeid)
