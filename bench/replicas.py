"""Replica scenario (`python -m bench --scenarios replicas --engines local`): a second
`hanaro serve` process on the benchmark's own engines, a `referralEvents` subscriber of the
target institution connected to it, and referrals created through the benchmark's server:
how long after createReferral is acknowledged the other replica's subscriber hears of it
(issue 21: within a second). Needs engines on the network (the local set, or external
clusters); the embedded engines belong to one process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.generate import Synthetic
from bench.measure import api_client, percentiles, staff_token
from bench.recipients import BUSIEST_REGISTRAR, REGISTERED_BY, _create_referral
from server.runtime import Runtime

__all__ = ["run_replicas"]

SUBSCRIBE = """subscription { referralEvents { kind referral { id } } }"""
HANARO = str(Path(sys.executable).parent / "hanaro")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def _second_replica(runtime: Runtime, data_dir: Path) -> AsyncIterator[str]:
    """A `hanaro serve` on the benchmark's engines; yields its address, ends it (by its
    process id) on exit."""
    port = _free_port()
    env = {
        **os.environ,
        "HANARO_HOST": "127.0.0.1",
        "HANARO_PORT": str(port),
        "HANARO_DATA_DIR": str(data_dir),
        "HANARO_NEO4J_URI": str(getattr(runtime.backends.graph, "address", "")),
        "HANARO_NEO4J_USER": "",
        "HANARO_ELASTICSEARCH_URL": str(runtime.backends.search_url),
        "HANARO_SEARCH_INDEX": runtime.settings.search_index,
        "HANARO_JWT_SECRET": runtime.secret,
        "HANARO_IDENTITY_SECRET": runtime.services.identity_key.decode(),
    }
    log = (data_dir / "replica.log").open("wb")
    process = subprocess.Popen([HANARO, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the second replica did not start: see {log.name}")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        log.close()


@contextlib.asynccontextmanager
async def _subscriber(address: str, token: str) -> AsyncIterator[ClientConnection]:
    protocol = [Subprotocol("graphql-transport-ws")]
    async with connect(f"ws://{address}/graphql", subprotocols=protocol) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        await asyncio.wait_for(ws.recv(), 10)
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        await asyncio.sleep(0.5)  # registered on the replica before the first referral
        yield ws


async def run_replicas(
    runtime: Runtime, synthetic: Synthetic, *, count: int, progress: Callable[[str], None]
) -> dict[str, Any]:
    if not str(getattr(runtime.backends.graph, "address", "")).startswith("bolt"):
        return {"skipped": "replicas need engines on the network (the local set or clusters)"}
    graph = runtime.backends.graph
    busiest = (await graph.run(BUSIEST_REGISTRAR))[0]["id"]
    partner = next(i for i in synthetic.institutions if i["kind"] == "WELFARE_CENTER")["id"]
    rows = await graph.run(REGISTERED_BY, {"institution": busiest, "limit": count})
    lead, target = staff_token(runtime, busiest), staff_token(runtime, partner)
    samples: list[float] = []
    progress(f"  a second replica; {len(rows)} referrals heard across replicas")
    with tempfile.TemporaryDirectory(prefix="hanaro-replica-") as data_dir:
        async with (
            _second_replica(runtime, Path(data_dir)) as address,
            _subscriber(address, target) as ws,
            api_client(runtime) as client,
        ):
            for row in rows:
                created = await _create_referral(client, lead, row["id"], partner)
                acknowledged = time.perf_counter()
                while True:
                    message = json.loads(await asyncio.wait_for(ws.recv(), 30))
                    event = message["payload"]["data"]["referralEvents"]
                    if event["referral"]["id"] == created["id"]:
                        break
                samples.append((time.perf_counter() - acknowledged) * 1000)
    return {"event_across_replicas": percentiles(samples)}
