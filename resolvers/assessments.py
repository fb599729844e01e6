"""Needs assessments: a dated list of needs with severity, by the viewer's institution."""

from __future__ import annotations

from typing import Any

from graph import assessments as repo
from graph.recipients import recipient_state
from resolvers.access import READS, STAFF, demand
from resolvers.context import RequestContext
from resolvers.errors import HanaroError
from resolvers.stamps import iso_now, new_id
from resolvers.validation import check_id, check_text

__all__ = ["assess_needs", "assessments_of_recipients"]

MAX_NEEDS = 30


async def assess_needs(
    ctx: RequestContext, recipient_id: str, needs: list[dict[str, Any]]
) -> dict[str, Any]:
    demand(STAFF, ctx.viewer, action="assessing needs")
    check_id("Recipient", recipient_id, field="recipientId")
    if not needs or len(needs) > MAX_NEEDS:
        raise HanaroError.bad_input(
            f"needs: give between 1 and {MAX_NEEDS} assessed needs.", field="needs"
        )
    codes = [n["code"] for n in needs]
    if len(set(codes)) != len(codes):
        raise HanaroError.bad_input("needs lists a code twice.", field="needs")
    ctx.services.needs.check(codes, field="needs")
    for item in needs:
        if not 1 <= item["severity"] <= 5:
            raise HanaroError.bad_input(
                f"needs: severity of {item['code']} must be 1 to 5 (got {item['severity']}).",
                field="needs.severity",
            )
    notes = [check_text(n.get("note"), field="needs.note", max_length=1000) or "" for n in needs]
    props = {
        "id": new_id("asm"),
        "recipientId": recipient_id,
        "institutionId": ctx.viewer.institution_id or "",
        "assessedBy": ctx.viewer.subject or "",
        "assessedAt": iso_now(),
        "needCodes": codes,
        "severities": [n["severity"] for n in needs],
        "notes": notes,
    }
    audit = ctx.access.audit("NEEDS_ASSESSED", ["NEEDS"])
    row = await repo.insert_assessment(ctx.graph, props, audit)
    if row is None:
        if await recipient_state(ctx.graph, recipient_id, ctx.access) is None:
            raise HanaroError.not_found("recipient", recipient_id)
        raise READS["NEEDS"].refusal()
    return as_record(dict(row))


def as_record(props: dict[str, Any]) -> dict[str, Any]:
    """Parallel lists on the node -> a list of assessed needs."""
    return {
        **props,
        "needs": [
            {"code": code, "severity": severity, "note": note or None}
            for code, severity, note in zip(
                props["needCodes"], props["severities"], props["notes"], strict=True
            )
        ],
    }


async def assessments_of_recipients(
    ctx: RequestContext, recipient_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in recipient_ids}
    for row in await repo.assessments_of(ctx.graph, recipient_ids, ctx.access):
        found[row["recipientId"]].append(as_record(dict(row["props"])))
    return found
