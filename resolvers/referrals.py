"""Closed-loop referrals (서비스 의뢰): what a viewer may read of them.

Parties (staff of the sending and the target institution) read a referral's metadata: status,
institutions, shared categories, history, outcome. What it says about the person (needs,
message, urgent reason) is recipient data: it is read under the recipient access check
(NEEDS), audited, by parties and by institutions that may read the recipient's HISTORY.

Referrals are timed by `services.clock`. Unanswered ones expire lazily, since every read first
expires what it is about, and in the server's periodic sweep (`server/referral_sweep.py`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from graph import referrals as repo
from graph.access import GraphAccess
from graph.engine import Row
from resolvers.access import STAFF, demand
from resolvers.context import RequestContext, Services
from resolvers.pagination import Page, page_request
from resolvers.referral_events import ReferralEvent

__all__ = [
    "expire_due",
    "get_referrals",
    "list_referrals",
    "publish",
    "referral_details",
    "referral_record",
    "referrals_of_recipients",
    "watch_referrals",
]


def referral_record(row: Row) -> dict[str, Any]:
    """A referral's metadata with its history parsed ("STATUS|at|institution|reason|actor")."""
    record = dict(row)
    record.pop("ownerId", None)
    record.pop("expiresAtMs", None)
    history = []
    for entry in record.get("history") or []:
        status, at, institution, reason, actor = entry.split("|", 4)
        history.append(
            {
                "status": status,
                "at": at,
                "institutionId": institution or None,
                "reason": reason or None,
                "actor": actor,
            }
        )
    record["history"] = history
    record["sharedCategories"] = list(record.get("sharedCategories") or [])
    record["urgent"] = bool(record.get("urgent"))
    return record


def publish(services: Services, kind: str, row: Row) -> None:
    services.referral_events.publish(
        ReferralEvent(
            kind=kind,
            referral_id=row["id"],
            status=row["status"],
            version=row["version"],
            institutions=frozenset({row["fromInstitutionId"], row["toInstitutionId"]}),
        )
    )


async def expire_due(
    services: Services,
    *,
    request_id: str = "",
    ids: list[str] | None = None,
    institution: str | None = None,
    recipient_ids: list[str] | None = None,
) -> int:
    """Mark due SENT referrals EXPIRED (in the scope given; none = all) and tell the live
    inboxes. Returns how many expired. The system expires them, also when a read asks."""
    system = GraphAccess.system(
        actor="system", now_ms=services.clock(), request_id=request_id or "expiry"
    )
    rows = await repo.expire_referrals(
        services.graph,
        system.audit("REFERRAL_EXPIRED"),
        ids=ids,
        institution=institution,
        recipient_ids=recipient_ids,
    )
    for row in rows:
        publish(services, "CHANGED", row)
    return len(rows)


def _due(rows: Iterable[Row], now_ms: int) -> bool:
    """Whether a read shows a referral left unanswered past its expiry: only then does it
    expire them and read again (a write on every read was a round trip of most 360° views)."""
    return any(r["status"] == "SENT" and r["expiresAtMs"] <= now_ms for r in rows)


async def get_referrals(ctx: RequestContext, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Referrals the viewer's institution sent or received, batched; others are absent."""
    viewer = ctx.viewer
    if not STAFF.admits(viewer) or not ids:
        return {}
    found = await repo.referrals_by_ids(ctx.graph, list(ids), ctx.access)
    if _due(found.values(), ctx.services.clock()):
        await expire_due(ctx.services, request_id=viewer.request_id, ids=list(ids))
        found = await repo.referrals_by_ids(ctx.graph, list(ids), ctx.access)
    return {rid: referral_record(row) for rid, row in found.items()}


async def referral_details(ctx: RequestContext, ids: list[str]) -> dict[str, Row]:
    """Needs, message and urgent reason of the referrals whose recipient the viewer may read
    NEEDS of; one audited read, batched."""
    if not STAFF.admits(ctx.viewer) or not ids:
        return {}
    return await repo.referral_details(
        ctx.graph, list(ids), ctx.access.audit("READ_REFERRAL", ["NEEDS"])
    )


async def list_referrals(
    ctx: RequestContext, *, inbox: bool, statuses: list[str] | None, first: int, after: str | None
) -> Page[dict[str, Any]]:
    """The viewer institution's inbox (received) or sent referrals, newest first."""
    request = page_request(first, after, ctx.services.limits.max_page_size)
    viewer = ctx.viewer
    if not STAFF.admits(viewer):
        return Page.empty(request)
    institution = viewer.institution_id
    await expire_due(ctx.services, request_id=viewer.request_id, institution=institution)
    rows = await repo.list_referrals(
        ctx.graph,
        ctx.access,
        inbox=inbox,
        statuses=statuses,
        after=request.after,
        limit=request.limit,
    )

    async def total() -> int:
        return await repo.count_referrals(ctx.graph, ctx.access, inbox=inbox, statuses=statuses)

    return Page.from_rows([referral_record(r) for r in rows], request, total)


async def referrals_of_recipients(
    ctx: RequestContext, recipient_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """`Recipient.referrals` (HISTORY), for recipients already read under the access check."""
    found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in recipient_ids}
    rows = await repo.referrals_of(ctx.graph, list(recipient_ids), ctx.access)
    if _due(rows, ctx.services.clock()):
        await expire_due(
            ctx.services, request_id=ctx.viewer.request_id, recipient_ids=list(recipient_ids)
        )
        rows = await repo.referrals_of(ctx.graph, list(recipient_ids), ctx.access)
    for row in rows:
        found[row["ownerId"]].append(referral_record(row))
    return found


async def watch_referrals(
    ctx: RequestContext,
) -> AsyncIterator[tuple[ReferralEvent, dict[str, Any]]]:
    """The live inbox: each event for the viewer's institution with the referral read afresh
    through `get_referrals`. Ends when the token expires or the subscriber fell behind (the
    client then reloads its lists and subscribes again)."""
    institution = demand(STAFF, ctx.viewer, action="following referral events")
    expires_at = ctx.viewer.token_expires_at
    holder = f"{institution}:{ctx.viewer.subject}"
    events = ctx.services.referral_events
    with events.subscribe(institution, holder, ctx.services.clock()) as subscription:
        while not subscription.overflowed:
            left = None if expires_at is None else expires_at - time.time()
            if left is not None and left <= 0:
                return
            try:
                async with asyncio.timeout(left):
                    event = await subscription.queue.get()
            except TimeoutError:
                return
            ctx.forget()
            found = await get_referrals(ctx, [event.referral_id])
            if event.referral_id in found:
                yield event, found[event.referral_id]
