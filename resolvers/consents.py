"""Consents: recorded and revoked by the institutions that hold the recipient (registering
institution, case leads). Revocation takes effect on the next request: the grants the access
check reads are rewritten by the revoking statement itself."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from graph import consents as repo
from graph.recipients import recipient_state
from resolvers.access import CONSENT_HOLDER, STAFF, demand
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.stamps import iso_now, new_id
from resolvers.validation import check_id
from vocabulary.access import CATEGORIES

__all__ = ["consents_of_recipients", "record_consent", "revoke_consent"]


def _grants(consent_id: str, scope: list[str], targets: list[str], until_ms: int) -> list[str]:
    return [f"{t}|{c}|{until_ms}|{consent_id}" for t in targets for c in scope]


async def _refused(ctx: RequestContext, recipient_id: str) -> HanaroError:
    state = await recipient_state(ctx.graph, recipient_id, ctx.access)
    if state is None:
        return HanaroError.not_found("recipient", recipient_id)
    return CONSENT_HOLDER.refusal()


async def record_consent(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    demand(STAFF, ctx.viewer, action="recording a consent")
    recipient_id = check_id("Recipient", data["recipientId"], field="recipientId")
    scope = list(dict.fromkeys(data["scope"]))
    if not scope:
        raise HanaroError.bad_input("scope: name at least one data category.", field="scope")
    institutions = [
        check_id("Institution", i, field="institutions") for i in data.get("institutions") or []
    ]
    kinds = list(dict.fromkeys(data.get("institutionKinds") or []))
    if not institutions and not kinds:
        raise HanaroError.bad_input(
            "Name the institutions or institution kinds the consent covers.",
            field="institutions",
        )
    if institutions:
        known = await ctx.loaders.institutions_by_id.load_many(institutions)
        unknown = [i for i, row in zip(institutions, known, strict=True) if row is None]
        if unknown:
            raise HanaroError.bad_input(
                f"institutions: no institution with id {unknown[0]!r}.", field="institutions"
            )
    valid_until: datetime = data["validUntil"]
    if valid_until.tzinfo is None:
        valid_until = valid_until.replace(tzinfo=UTC)
    if valid_until <= datetime.now(UTC):
        raise HanaroError.bad_input("validUntil must be in the future.", field="validUntil")
    consent_id = new_id("cns")
    until_ms = int(valid_until.timestamp() * 1000)
    targets = [f"inst:{i}" for i in dict.fromkeys(institutions)] + [f"kind:{k}" for k in kinds]
    props = {
        "id": consent_id,
        "recipientId": recipient_id,
        "scope": scope,
        "institutions": list(dict.fromkeys(institutions)),
        "institutionKinds": kinds,
        "validUntil": valid_until.isoformat(),
        "status": "ACTIVE",
        "recordedBy": ctx.viewer.subject or "",
        "institutionId": ctx.viewer.institution_id or "",
        "createdAt": iso_now(),
        "version": 1,
    }
    row = await repo.record_consent(
        ctx.graph,
        props,
        _grants(consent_id, scope, targets, until_ms),
        ctx.access.audit("CONSENT_RECORDED", CATEGORIES),
    )
    if row is None:
        raise await _refused(ctx, recipient_id)
    return dict(row)


async def revoke_consent(ctx: RequestContext, consent_id: str) -> dict[str, Any]:
    demand(STAFF, ctx.viewer, action="revoking a consent")
    check_id("Consent", consent_id)
    row = await repo.revoke_consent(
        ctx.graph, consent_id, ctx.access.audit("CONSENT_REVOKED", CATEGORIES)
    )
    if row is None:
        # Unknown, not the viewer's to revoke, or already revoked: the same answer, so the
        # id tells nothing about consents the viewer may not see.
        raise HanaroError(
            ErrorCode.NOT_FOUND,
            f"No active consent with id {consent_id!r} that your institution may revoke.",
        )
    return dict(row)


async def consents_of_recipients(
    ctx: RequestContext, recipient_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in recipient_ids}
    for row in await repo.consents_of(ctx.graph, recipient_ids, ctx.access):
        found[row["recipientId"]].append(dict(row["props"]))
    return found
