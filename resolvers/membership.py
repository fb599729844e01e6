"""Proactive eligibility (복지멤버십): which programmes a recipient is likely eligible for.

The recipient is read through the ordinary access check (and audited); facts the viewer may
not read are unknown, so they make a programme POSSIBLE, never LIKELY or NOT_ELIGIBLE."""

from __future__ import annotations

from typing import Any

from resolvers.context import RequestContext
from resolvers.enrollments import enrollments_of_recipients
from resolvers.programs import Facts
from resolvers.recipients import get_recipients, require_staff
from resolvers.validation import check_id

__all__ = ["eligible_programs", "enrolled_programs"]


async def enrolled_programs(ctx: RequestContext, record: dict[str, Any]) -> frozenset[str]:
    """Programmes of the recipient's active enrollments (HISTORY; empty without it)."""
    if "HISTORY" not in record["allowed"]:
        return frozenset()
    found = await enrollments_of_recipients(ctx, [record["id"]])
    return frozenset(
        e["programId"]
        for e in found[record["id"]]
        if e.get("programId") and e["status"] == "ACTIVE"
    )


async def eligible_programs(ctx: RequestContext, recipient_id: str) -> list[dict[str, Any]] | None:
    """None when the viewer is not entitled to the recipient (as `recipient(id)`)."""
    require_staff(ctx.viewer, "checking eligibility")
    check_id("Recipient", recipient_id, field="recipientId")
    found = await get_recipients(ctx, [recipient_id], ["IDENTITY", "HISTORY"])
    record = found.get(recipient_id)
    if record is None:
        return None
    facts = Facts.of(record, ctx.services.regions.ancestors, await enrolled_programs(ctx, record))
    return ctx.services.programs.evaluate_all(facts)
