"""How `make test` shares the suite between its two pytest-xdist workers (tests/conftest.py):
xdist's scope scheduling, with one scope per engine set. Every test whose id names an engine
set (`[embedded]`, `[local-graph]`, ...) goes with the rest of that set to one worker, which
alone starts that set's engines; other tests are scheduled one by one.

(xdist's `--dist loadgroup` would do this from marks, but on pytest 9 it cannot rename the
test ids it groups by, so every group ends up split.)"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

from server.settings import ENGINE_SETS


class EngineSetScheduling(LoadScopeScheduling):
    def _split_scope(self, nodeid: str) -> str:
        _, bracket, params = nodeid.partition("[")
        if bracket:
            for part in params.rstrip("]").split("-"):
                if part in ENGINE_SETS:
                    return part
        return nodeid
