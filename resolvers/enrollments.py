"""Enrollments (급여·서비스 이력): the benefits and services a recipient received."""

from __future__ import annotations

from datetime import date
from typing import Any

from graph import enrollments as repo
from graph.recipients import recipient_state
from resolvers.access import READS, STAFF, demand
from resolvers.context import RequestContext
from resolvers.errors import HanaroError
from resolvers.stamps import iso_now, new_id
from resolvers.validation import check_id

__all__ = ["enrollments_of_recipients", "record_enrollment"]


async def record_enrollment(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    demand(STAFF, ctx.viewer, action="recording an enrollment")
    recipient_id = check_id("Recipient", data["recipientId"], field="recipientId")
    resource_id = check_id("Resource", data["resourceId"], field="resourceId")
    start: date = data["start"]
    end: date | None = data.get("end")
    if end is not None and end < start:
        raise HanaroError.bad_input("end is before start.", field="end")
    amount = data.get("amount")
    if amount is not None and not 0 <= amount <= 1_000_000_000:
        raise HanaroError.bad_input(
            "amount must be between 0 and 1,000,000,000 (KRW).", field="amount"
        )
    props = {
        "id": new_id("enr"),
        "recipientId": recipient_id,
        "resourceId": resource_id,
        "start": start.isoformat(),
        "end": end.isoformat() if end else None,
        "status": data["status"],
        "amount": amount,
        "recordedBy": ctx.viewer.subject or "",
        "institutionId": ctx.viewer.institution_id or "",
        "createdAt": iso_now(),
    }
    row = await repo.insert_enrollment(
        ctx.graph,
        {k: v for k, v in props.items() if v is not None},
        ctx.access.audit("ENROLLMENT_RECORDED", ["HISTORY"]),
    )
    if row is None:
        if await recipient_state(ctx.graph, recipient_id, ctx.access) is None:
            raise HanaroError.not_found("recipient", recipient_id)
        if await ctx.loaders.resources_by_id.load(resource_id) is None:
            raise HanaroError.not_found("resource", resource_id)
        raise READS["HISTORY"].refusal()
    return {**props, **dict(row)}


async def enrollments_of_recipients(
    ctx: RequestContext, recipient_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in recipient_ids}
    for row in await repo.enrollments_of(ctx.graph, recipient_ids, ctx.access):
        props = dict(row["props"])
        props.setdefault("end", None)
        props.setdefault("amount", None)
        found[row["recipientId"]].append(props)
    return found
