"""Job leases: one node per background job (`JobLease {name}`) naming the server process that
may run it until `expiresAtMs`. Several replicas share a graph; each job runs in the holder
only, and another replica takes the lease over once it has expired unrenewed.

Both statements take the lease's write lock before they read its holder (the Neo4j idiom
against lost updates, as in graph/outbox.py): two replicas testing an expired lease at once
would otherwise both take it. The name is a unique key, so MERGE never makes two."""

from __future__ import annotations

from graph.engine import GraphEngine

__all__ = ["acquire_lease", "lease_holders", "release_lease"]

ACQUIRE_LEASE = """MERGE (l:JobLease {name: $name})
SET l.lock = true
REMOVE l.lock
WITH l
WHERE l.holder IS NULL OR l.holder = $holder OR l.expiresAtMs <= $nowMs
SET l.holder = $holder, l.expiresAtMs = $nowMs + $ttlMs
RETURN l.holder AS holder"""


async def acquire_lease(
    graph: GraphEngine, name: str, holder: str, *, now_ms: int, ttl_ms: int
) -> bool:
    """Take or renew the lease on `name` for `holder` until now + ttl; False while another
    holder's lease runs."""
    rows = await graph.run(
        ACQUIRE_LEASE,
        {"name": name, "holder": holder, "nowMs": now_ms, "ttlMs": ttl_ms},
        write=True,
    )
    return bool(rows) and rows[0]["holder"] == holder


RELEASE_LEASE = """MATCH (l:JobLease {name: $name})
SET l.lock = true
REMOVE l.lock
WITH l
WHERE l.holder = $holder
SET l.holder = null, l.expiresAtMs = 0
RETURN count(l) AS released"""


async def release_lease(graph: GraphEngine, name: str, holder: str) -> None:
    """Give the lease up at shutdown, so another replica takes the job at once."""
    await graph.run(RELEASE_LEASE, {"name": name, "holder": holder}, write=True)


LEASE_HOLDERS = """MATCH (l:JobLease) WHERE l.expiresAtMs > $nowMs
RETURN l.name AS name, l.holder AS holder ORDER BY name"""


async def lease_holders(graph: GraphEngine, now_ms: int) -> dict[str, str]:
    """Job name -> the holder of its running lease (for /readyz and operators)."""
    rows = await graph.run(LEASE_HOLDERS, {"nowMs": now_ms})
    return {row["name"]: row["holder"] for row in rows}
