"""The live inbox over graphql-transport-ws with a real websocket client against a Uvicorn
server: events reach staff of the two institutions involved and no one else; bad or missing
tokens are refused. Every wait is bounded."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.support.live import live_server, post
from tests.support.recipients import new_recipient
from tests.support.referral_events import PROTOCOL, next_event, subscriber
from tests.support.referrals import ACCEPT, CREATE, referral_input


async def nothing_for(ws: ClientConnection, seconds: float) -> bool:
    try:
        await asyncio.wait_for(ws.recv(), seconds)
    except TimeoutError:
        return True
    return False


async def subscribed(api: Any, count: int) -> None:
    events = api.runtime.services.referral_events
    async with asyncio.timeout(5):
        while events.subscriber_count < count:
            await asyncio.sleep(0.01)


async def test_events_reach_the_two_institutions_and_no_one_else(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    partner = api.token("ins_partner01", "CASEWORKER")
    other = api.token("ins_other001", "CASEWORKER")
    platform = api.token("ins_region01", "PLATFORM_ADMIN")
    rid = await new_recipient(api, owner)
    async with live_server(api.runtime) as address:
        async with (
            subscriber(address, owner) as sender_ws,
            subscriber(address, partner, header=True) as target_ws,
            subscriber(address, other) as other_ws,
            subscriber(address, platform) as platform_ws,
            httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as client,
        ):
            await subscribed(api, 4)
            created = await post(
                client,
                CREATE,
                {"input": referral_input(rid, urgent=True, urgentReason="위기")},
                owner,
            )
            referral = created["data"]["createReferral"]
            for ws in (sender_ws, target_ws):
                event = await next_event(ws)
                assert event["kind"] == "CREATED" and event["status"] == "SENT"
                assert event["referral"]["id"] == referral["id"]
                assert event["referral"]["toInstitution"] == {"id": "ins_partner01"}
            await post(client, ACCEPT, {"id": referral["id"], "v": 1}, partner)
            for ws in (sender_ws, target_ws):
                event = await next_event(ws)
                assert (event["kind"], event["status"]) == ("CHANGED", "ACCEPTED")
                assert event["referral"]["version"] == 2
            assert await nothing_for(other_ws, 0.3)
            assert await nothing_for(platform_ws, 0.1)
    assert api.runtime.services.referral_events.subscriber_count == 0


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": 42},
    ],
)
async def test_sockets_without_a_valid_staff_token_are_refused(api, payload):
    async with live_server(api.runtime) as address:
        async with connect(f"ws://{address}/graphql", subprotocols=PROTOCOL) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_a_bad_token_on_the_upgrade_request_is_refused_at_the_handshake(api):
    expired = api.token("ins_owner01") + "x"
    async with live_server(api.runtime) as address:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(
                f"ws://{address}/graphql",
                subprotocols=PROTOCOL,
                additional_headers={"Authorization": f"Bearer {expired}"},
            ):
                pass
        assert refused.value.response.status_code == 403
