"""The referralEvents subscription over graphql-transport-ws."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

PROTOCOL = [Subprotocol("graphql-transport-ws")]

SUBSCRIBE = """subscription { referralEvents { kind status
  referral { id status version fromInstitution { id } toInstitution { id } } } }"""


@contextlib.asynccontextmanager
async def subscriber(
    address: str, token: str | None, *, header: bool = False
) -> AsyncIterator[ClientConnection]:
    """A socket that sent connection_init (token in the payload, or in the upgrade header)
    and subscribed to referralEvents."""
    headers = {"Authorization": f"Bearer {token}"} if header and token else None
    async with connect(
        f"ws://{address}/graphql", subprotocols=PROTOCOL, additional_headers=headers
    ) as ws:
        payload = {"Authorization": f"Bearer {token}"} if token and not header else {}
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert ack["type"] == "connection_ack", ack
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        yield ws


async def next_event(ws: ClientConnection, timeout: float = 5) -> dict[str, Any]:
    message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    assert message["type"] == "next", message
    return message["payload"]["data"]["referralEvents"]
