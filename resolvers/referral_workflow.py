"""Closed-loop referrals (서비스 의뢰), the workflow: SENT -> ACCEPTED | DECLINED | CANCELLED
| EXPIRED, ACCEPTED -> IN_PROGRESS -> COMPLETED (SERVED or NOT_SERVED).

Sending needs a live consent of the recipient that covers the target institution and every
shared category, or `urgent` with a reason (audited; the recipient's lead institutions read
it in the access log). The target reads the shared categories from acceptance until
completion. Transitions name the version they saw; the one statement that writes each checks
actor, state and version, so of two answers to one referral exactly one wins."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph import recipients as recipients_repo
from graph import referrals as repo
from graph.cases import case_state
from graph.consents import consents_of
from resolvers.access import ACTING, REFERRAL_PARTY, SHARING, STAFF, demand
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.referrals import expire_due, publish, referral_record
from resolvers.stamps import iso_at
from resolvers.validation import check_id, check_text, check_unique_codes
from vocabulary.access import CATEGORIES

__all__ = ["TRANSITIONS", "change_referral", "create_referral"]

DAY_MS = 86_400_000
MAX_NEEDS = 10
MAX_MESSAGE = 2000


@dataclass(frozen=True)
class Transition:
    from_statuses: tuple[str, ...]
    to_status: str
    side: str  # the institution that acts: toInstitutionId (target) or fromInstitutionId
    reasons: frozenset[str]
    operation: str


_DECLINE_REASONS = frozenset(
    {"NO_CAPACITY", "NOT_ELIGIBLE", "OUT_OF_SCOPE", "COULD_NOT_CONTACT", "CLIENT_DECLINED", "OTHER"}
)
TRANSITIONS: dict[str, Transition] = {
    "ACCEPT": Transition(
        ("SENT",), "ACCEPTED", "toInstitutionId", frozenset(), "REFERRAL_ACCEPTED"
    ),
    "DECLINE": Transition(
        ("SENT",), "DECLINED", "toInstitutionId", _DECLINE_REASONS, "REFERRAL_DECLINED"
    ),
    "CANCEL": Transition(
        ("SENT",),
        "CANCELLED",
        "fromInstitutionId",
        frozenset({"CLIENT_DECLINED", "NEED_RESOLVED", "SENT_IN_ERROR", "OTHER"}),
        "REFERRAL_CANCELLED",
    ),
    "START": Transition(
        ("ACCEPTED",), "IN_PROGRESS", "toInstitutionId", frozenset(), "REFERRAL_STARTED"
    ),
    "COMPLETE": Transition(
        ("IN_PROGRESS",),
        "COMPLETED",
        "toInstitutionId",
        _DECLINE_REASONS - {"OUT_OF_SCOPE"} | {"NEED_RESOLVED"},
        "REFERRAL_COMPLETED",
    ),
}
_STATEMENTS = {
    "DECLINE": repo.DECLINE_REFERRAL,
    "CANCEL": repo.CANCEL_REFERRAL,
    "START": repo.START_REFERRAL,
    "COMPLETE": repo.COMPLETE_REFERRAL,
}


def _check_input(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    check_id("Recipient", data["recipientId"], field="input.recipientId")
    check_id("Institution", data["toInstitutionId"], field="input.toInstitutionId")
    if data["toInstitutionId"] == ctx.viewer.institution_id:
        raise HanaroError.bad_input(
            "A referral goes to another institution, not your own.", field="input.toInstitutionId"
        )
    needs = check_unique_codes(list(data["needCodes"]), field="input.needCodes")
    if not 1 <= len(needs) <= MAX_NEEDS:
        raise HanaroError.bad_input(
            f"input.needCodes: name between 1 and {MAX_NEEDS} needs.", field="input.needCodes"
        )
    ctx.services.needs.check(needs, field="input.needCodes")
    shared = check_unique_codes(list(data["sharedCategories"]), field="input.sharedCategories")
    if not shared:
        raise HanaroError.bad_input(
            "input.sharedCategories: name at least one data category.",
            field="input.sharedCategories",
        )
    message = check_text(
        data["message"], field="input.message", max_length=MAX_MESSAGE, required=True
    )
    urgent = bool(data.get("urgent"))
    reason = check_text(data.get("urgentReason"), field="input.urgentReason", max_length=1000)
    if urgent and not reason:
        raise HanaroError.bad_input(
            "An urgent referral without consent needs urgentReason: it is audited and shown to "
            "the recipient's lead institution.",
            field="input.urgentReason",
        )
    consent_id = data.get("consentId")
    if consent_id is not None:
        check_id("Consent", consent_id, field="input.consentId")
    elif not urgent:
        raise HanaroError(
            ErrorCode.BAD_USER_INPUT,
            "A referral needs the recipient's consent (consentId) covering the target "
            "institution and the shared categories, or urgent: true with an urgentReason.",
            field="input.consentId",
            reason="CONSENT_REQUIRED",
        )
    for key, kind in (("resourceId", "Resource"), ("caseId", "Case")):
        if data.get(key) is not None:
            check_id(kind, data[key], field=f"input.{key}")
    return {
        "needCodes": needs,
        "sharedCategories": shared,
        "message": message,
        "urgent": urgent,
        "urgentReason": reason if urgent else None,
        "consentId": consent_id,
    }


def _consent_problem(
    consent: dict[str, Any] | None, target: dict[str, Any], shared: list[str], now: int
) -> HanaroError | None:
    """Why the named consent does not allow this referral, if it does not."""

    def refused(message: str, reason: str, field: str = "input.consentId") -> HanaroError:
        return HanaroError(ErrorCode.BAD_USER_INPUT, message, field=field, reason=reason)

    if consent is None:
        return refused("input.consentId: no such consent of this recipient.", "CONSENT_UNKNOWN")
    if consent["status"] != "ACTIVE":
        return refused(f"Consent {consent['id']} was revoked.", "CONSENT_REVOKED")
    if datetime.fromisoformat(consent["validUntil"]).timestamp() * 1000 <= now:
        return refused(f"Consent {consent['id']} has expired.", "CONSENT_EXPIRED")
    covers = target["id"] in (consent.get("institutions") or []) or target["kind"] in (
        consent.get("institutionKinds") or []
    )
    if not covers:
        return refused(
            f"Consent {consent['id']} does not cover {target['id']}.", "CONSENT_INSTITUTION"
        )
    missing = [c for c in shared if c not in consent["scope"]]
    if missing:
        return refused(
            f"Consent {consent['id']} does not cover {', '.join(missing)}: share only what the "
            "recipient agreed to.",
            "CONSENT_SCOPE",
            "input.sharedCategories",
        )
    return None


async def _check_references(
    ctx: RequestContext, data: dict[str, Any], clean: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The target institution, the resource, the recipient, the case and the consent; each
    refusal says which. Returns the target and the sender (read with it in one statement)."""
    target, sender = await ctx.loaders.institutions_by_id.load_many(
        [data["toInstitutionId"], ctx.viewer.institution_id or ""]
    )
    if target is None:
        raise HanaroError.bad_input(
            f"input.toInstitutionId: no institution with id {data['toInstitutionId']!r}.",
            field="input.toInstitutionId",
        )
    if data.get("resourceId"):
        resource = await ctx.loaders.resources_by_id.load(data["resourceId"])
        if resource is None:
            raise HanaroError.not_found("resource", data["resourceId"])
        if resource["providerId"] != target["id"]:
            raise HanaroError.bad_input(
                "input.resourceId: the resource is not provided by the target institution.",
                field="input.resourceId",
            )
    recipient_id = data["recipientId"]
    state = await recipients_repo.recipient_state(ctx.graph, recipient_id, ctx.access)
    if state is None:
        raise HanaroError.not_found("recipient", recipient_id)
    demand(SHARING, ctx.viewer, state["allowed"], clean["sharedCategories"])
    if data.get("caseId"):
        case = await case_state(ctx.graph, data["caseId"], ctx.access)
        if case is None or case["props"]["recipientId"] != recipient_id:
            raise HanaroError.not_found("case", data["caseId"])
    if clean["consentId"] is not None:
        consents = {
            row["props"]["id"]: dict(row["props"])
            for row in await consents_of(ctx.graph, [recipient_id], ctx.access)
        }
        problem = _consent_problem(
            consents.get(clean["consentId"]),
            target,
            clean["sharedCategories"],
            ctx.services.clock(),
        )
        if problem is not None:
            raise problem
    return target, sender


async def create_referral(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    institution = demand(ACTING, ctx.viewer, action="sending a referral")
    clean = _check_input(ctx, data)
    target, sender = await _check_references(ctx, data, clean)
    now = ctx.services.clock()
    at = iso_at(now)
    expires = now + ctx.services.referral_expiry_days * DAY_MS
    props = {
        "id": f"ref_{now:013d}{uuid.uuid4().hex[:10]}",
        "recipientId": data["recipientId"],
        "fromInstitutionId": institution,
        "toInstitutionId": target["id"],
        "fromRegionCode": sender["regionCode"] if sender else "",
        "toRegionCode": target["regionCode"],
        "resourceId": data.get("resourceId"),
        "caseId": data.get("caseId"),
        **clean,
        "status": "SENT",
        "version": 1,
        "sentBy": ctx.viewer.subject or "",
        "createdAt": at,
        "createdAtMs": now,
        "updatedAt": at,
        "expiresAt": iso_at(expires),
        "expiresAtMs": expires,
        "history": [f"SENT|{at}|{institution}||{ctx.viewer.subject or ''}"],
    }
    consent_keys = {
        "targetInstKey": f"inst:{target['id']}|",
        "targetKindKey": f"kind:{target['kind']}|",
        "consentSuffix": f"|{clean['consentId'] or '-'}",
    }
    operation = "REFERRAL_SENT_URGENT" if clean["urgent"] else "REFERRAL_SENT"
    row = await repo.insert_referral(
        ctx.graph,
        {k: v for k, v in props.items() if v is not None},
        consent_keys,
        ctx.access.audit(operation, CATEGORIES, reason=clean["urgentReason"]),
    )
    if row is None:  # consent revoked or access lost since the checks above
        raise HanaroError(
            ErrorCode.CONFLICT,
            "The recipient's consent or your access changed while sending; reload and retry.",
        )
    publish(ctx.services, "CREATED", row)
    return referral_record(row)


# --- answering -----------------------------------------------------------------------------


def _check_reason(action: str, reason: str | None, outcome: str | None) -> None:
    transition = TRANSITIONS[action]
    needed = action == "DECLINE" or (action == "COMPLETE" and outcome == "NOT_SERVED")
    if reason is None:
        if needed:
            raise HanaroError.bad_input(f"{action.lower()} needs a reason.", field="reason")
        return
    if reason not in transition.reasons:
        allowed = ", ".join(sorted(transition.reasons)) or "none"
        raise HanaroError.bad_input(
            f"reason {reason} does not fit {action.lower()}; use one of: {allowed}.",
            field="reason",
        )


async def change_referral(
    ctx: RequestContext,
    action: str,
    referral_id: str,
    expected_version: int,
    *,
    reason: str | None = None,
    outcome: str | None = None,
) -> dict[str, Any]:
    """Run one transition, or explain why it was refused."""
    transition = TRANSITIONS[action]
    institution = demand(STAFF, ctx.viewer, action=f"{action.lower()}ing a referral")
    check_id("Referral", referral_id)
    _check_reason(action, reason, outcome)
    if not ACTING.admits(ctx.viewer):
        raise await _explain(ctx, transition, referral_id, expected_version)
    state = await repo.referral_state(ctx.graph, referral_id, ctx.access)
    if state is None:
        raise HanaroError.not_found("referral", referral_id)
    now = ctx.services.clock()
    at = iso_at(now)
    changes: dict[str, Any] = {"status": transition.to_status, "reason": reason}
    if action in {"ACCEPT", "DECLINE"}:
        changes.update(answeredAt=at, answeredAtMs=now)
    elif action == "START":
        changes["startedAt"] = at
    elif action == "COMPLETE":
        changes.update(completedAt=at, completedAtMs=now, outcome=outcome)
    subject = ctx.viewer.subject or ""
    params = {
        "id": referral_id,
        "expectedVersion": expected_version,
        "fromStatuses": list(transition.from_statuses),
        "changes": changes,
        "entry": f"{transition.to_status}|{at}|{institution}|{reason or ''}|{subject}",
        "grants": [
            f"{state['toInstitutionId']}|{c}|{state['consentId'] or 'urgent'}|{referral_id}"
            for c in state["sharedCategories"]
        ],
        "grantSuffix": f"|{referral_id}",
    }
    audit = ctx.access.audit(transition.operation, CATEGORIES, reason=reason)
    taking_slot = action == "ACCEPT" and bool(state["resourceId"])
    if action == "ACCEPT":
        row = await repo.accept_referral(ctx.graph, params, audit, taking_slot=taking_slot)
    else:
        row = await repo.transition_referral(ctx.graph, _STATEMENTS[action], params, audit)
    if row is None:
        raise await _explain(ctx, transition, referral_id, expected_version)
    if taking_slot:
        ctx.services.notify_write()  # the resource's free places changed: index them now
    publish(ctx.services, "CHANGED", row)
    return referral_record(row)


_SIDE_NAMES = {"toInstitutionId": "target", "fromInstitutionId": "sending"}


async def _explain(
    ctx: RequestContext, transition: Transition, referral_id: str, expected_version: int
) -> HanaroError:
    """NOT_FOUND for outsiders (as for an unknown id), CONFLICT with the current version and
    status otherwise; the wrong party or role is refused here (FORBIDDEN, raised)."""
    viewer = ctx.viewer
    await expire_due(ctx.services, request_id=viewer.request_id, ids=[referral_id])
    state = await repo.referral_state(ctx.graph, referral_id, ctx.access)
    if state is None:
        return HanaroError.not_found("referral", referral_id)
    side, status = _SIDE_NAMES[transition.side], transition.to_status
    demand(REFERRAL_PARTY, viewer, state[transition.side], side=side, status=status)
    demand(ACTING, viewer, action="answering a referral")
    current = {"currentVersion": state["version"], "currentStatus": state["status"]}
    if state["version"] != expected_version:
        return HanaroError(
            ErrorCode.CONFLICT,
            f"referral {referral_id} is at version {state['version']} ({state['status']}), not "
            f"{expected_version}: reload it.",
            **current,
        )
    if state["status"] not in transition.from_statuses:
        return HanaroError(
            ErrorCode.CONFLICT,
            f"referral {referral_id} is {state['status']}; moving it to {transition.to_status} "
            f"needs it to be {' or '.join(transition.from_statuses)}.",
            **current,
        )
    if transition.to_status == "ACCEPTED" and state["resourceId"]:
        return HanaroError(
            ErrorCode.CONFLICT,
            f"resource {state['resourceId']} has no free place left; decline with NO_CAPACITY "
            "or free a place first.",
            reason="NO_CAPACITY",
            **current,
        )
    return HanaroError(ErrorCode.CONFLICT, f"referral {referral_id} did not change; reload it.")
