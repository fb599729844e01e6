"""A background job's lease, as its periodic runner sees it: `hold()` before each run says
whether this process may run the job now (renewing the lease when half of it is used up, so
the leader writes about once per `ttl / 2`), and `release()` at shutdown hands it on.

With one server nothing changes (it takes every lease at once). With replicas on one graph
each job runs in one of them; when that one dies, another takes over once the lease expires
(at most `ttl` plus the job's interval later)."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable

from graph.engine import GraphEngine
from graph.leases import acquire_lease, release_lease

__all__ = ["Lease", "Leases", "process_holder"]


def process_holder() -> str:
    """Who holds leases: host, process and a per-start suffix (a restarted process on the
    same pid is a new holder)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Lease:
    def __init__(
        self,
        graph: GraphEngine,
        name: str,
        holder: str,
        ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        wall_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000,
    ) -> None:
        self.graph = graph
        self.name = name
        self.holder = holder
        self.ttl = ttl_seconds
        self._clock = clock
        self._wall_ms = wall_ms
        self._renew_at = 0.0  # monotonic time to renew at (half the lease), when held
        self._held_until = 0.0  # monotonic time our lease ends, as far as we know
        self._retry_at = 0.0  # not held: when to ask again (a poke must not ask every time)

    async def hold(self) -> bool:
        """Whether this process may run the job now; asks the graph only to renew (half the
        lease used) or, not holding it, at most once per `ttl / 4`."""
        now = self._clock()
        if now < self._renew_at:
            return True
        if now < self._held_until or now >= self._retry_at:
            # The time is taken before the statement: the lease may end a little earlier than
            # the graph says, never later.
            taken = acquire_lease(
                self.graph,
                self.name,
                self.holder,
                now_ms=self._wall_ms(),
                ttl_ms=int(self.ttl * 1000),
            )
            if await taken:
                self._held_until = now + self.ttl
                self._renew_at = now + self.ttl / 2
                return True
            self._held_until = self._renew_at = 0.0
            self._retry_at = now + self.ttl / 4
        return False

    async def release(self) -> None:
        if self._held_until:
            self._held_until = self._renew_at = 0.0
            await release_lease(self.graph, self.name, self.holder)


class Leases:
    """The leases of one server process: one holder name, one lease per job."""

    def __init__(self, graph: GraphEngine, ttl_seconds: float) -> None:
        self.graph = graph
        self.ttl = ttl_seconds
        self.holder = process_holder()
        self._leases: dict[str, Lease] = {}

    def lease(self, name: str) -> Lease:
        if name not in self._leases:
            self._leases[name] = Lease(self.graph, name, self.holder, self.ttl)
        return self._leases[name]
