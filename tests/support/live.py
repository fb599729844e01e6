"""A real Uvicorn server on 127.0.0.1 (a free port) for one test, on the test's runtime: for
concurrent requests over real sockets and for websocket clients."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import uvicorn

from server.app import create_app
from server.runtime import Runtime


@contextlib.asynccontextmanager
async def live_server(runtime: Runtime, *, demo: bool = False) -> AsyncIterator[str]:
    """Yields "127.0.0.1:PORT"; stops the server (bounded) on exit. `demo` serves what
    `hanaro demo` adds (the demo staff list)."""
    config = uvicorn.Config(
        create_app(runtime, demo=demo),
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        async with asyncio.timeout(10):
            await task


async def post(client: Any, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.json()
