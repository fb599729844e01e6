"""Hanaro replicas for one test: `hanaro serve` processes on 127.0.0.1 sharing the test's
Neo4j and search index (the local engine set, as external engines), started, stopped and
killed by the test, each by its own process id."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from server.auth import issue_token
from server.engines import Backends
from tests.support.cli import HANARO, free_port

# Short enough that a failover test waits seconds, not the production 15.
LEASE_SECONDS = 3


@dataclass
class Replica:
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = field(default=0)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [HANARO, "serve"], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )

    async def ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline:
                assert self.process is not None and self.process.poll() is None, self.tail()
                try:
                    if (await client.get(f"{self.url}/readyz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
        raise AssertionError(f"replica on {self.port} not ready: {self.tail()}")

    def signal(self, number: signal.Signals) -> None:
        assert self.process is not None
        self.process.send_signal(number)

    async def exited(self, timeout: float = 30) -> int:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while (code := self.process.poll()) is None:
            assert time.monotonic() < deadline, f"replica on {self.port} did not exit"
            await asyncio.sleep(0.1)
        return code

    def stop(self) -> None:
        """End this replica's process (the test's own child), whatever state it is in."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def replica_env(backends: Backends, data_dir: Path, port: int) -> dict[str, str]:
    settings = backends.settings
    address = getattr(backends.graph, "address", "")
    assert address.startswith(("bolt://", "neo4j://")), "replicas run on the local Neo4j"
    return {
        **os.environ,
        "HANARO_HOST": "127.0.0.1",
        "HANARO_PORT": str(port),
        "HANARO_DATA_DIR": str(data_dir),
        "HANARO_NEO4J_URI": address,
        "HANARO_NEO4J_USER": "",
        "HANARO_ELASTICSEARCH_URL": str(backends.search_url),
        "HANARO_SEARCH_INDEX": settings.search_index,
        "HANARO_JWT_SECRET": str(settings.jwt_secret),
        "HANARO_IDENTITY_SECRET": "replica-test-identity-secret-0123456789",
        "HANARO_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
        "HANARO_EVENT_POLL_MS": "100",
        "HANARO_SYNC_INTERVAL_MS": "100",
        "HANARO_SHUTDOWN_GRACE_SECONDS": "5",
        "HANARO_RATE_LIMIT_STAFF_PER_MINUTE": "0",
        "HANARO_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0",
    }


def make_replicas(backends: Backends, data_dir: Path, count: int) -> list[Replica]:
    found = []
    for n in range(count):
        port = free_port()
        found.append(
            Replica(port, replica_env(backends, data_dir / f"r{n}", port), data_dir / f"r{n}.log")
        )
    return found


def token(backends: Backends, institution_id: str, *roles: str) -> str:
    return issue_token(
        str(backends.settings.jwt_secret),
        subject="staff-1",
        institution_id=institution_id,
        roles=list(roles) or ["CASEWORKER"],
        ttl_seconds=900,
    )


async def graphql(
    client: httpx.AsyncClient, replica: Replica, query: str, variables: dict[str, Any], tok: str
) -> dict[str, Any]:
    response = await client.post(
        f"{replica.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {tok}"},
    )
    return response.json()


async def graphql_ok(
    client: httpx.AsyncClient, replica: Replica, query: str, variables: dict[str, Any], tok: str
) -> dict[str, Any]:
    body = await graphql(client, replica, query, variables, tok)
    assert "errors" not in body, body
    return body["data"]
