"""Integrated case management (사례관리), one model for every programme: OPEN -> ACTIVE (a
care plan is set) -> CLOSED (by the lead, with a reason). Every change names the version it
saw; a stale version or a transition the state does not allow is a CONFLICT."""

from __future__ import annotations

from typing import Any

from graph import cases as repo
from resolvers.access import CASE_LEAD, CASE_TEAM, STAFF, demand
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.stamps import iso_now, new_id
from resolvers.validation import check_id, check_text
from vocabulary.access import CATEGORIES

__all__ = [
    "PROGRAMMES",
    "add_case_note",
    "add_case_participant",
    "cases_of_recipients",
    "close_case",
    "get_cases",
    "notes_of_cases",
    "open_case",
    "update_care_plan",
]

# Programme -> sector (domain.md): 8 public, 3 private.
PROGRAMMES = {
    "CRISIS_HOUSEHOLD": "PUBLIC",
    "ELDERLY_LIVING_ALONE": "PUBLIC",
    "DREAM_START": "PUBLIC",
    "VISITING_HEALTH": "PUBLIC",
    "SELF_SUFFICIENCY": "PUBLIC",
    "MENTAL_HEALTH": "PUBLIC",
    "ADDICTION": "PUBLIC",
    "MEDICAL_AID": "PUBLIC",
    "WELFARE_CENTER": "PRIVATE",
    "FOSTER_CARE": "PRIVATE",
    "CHILD_INDEPENDENCE": "PRIVATE",
}
MAX_GOALS = 20


def _goals(goals: list[str] | None, field: str = "goals") -> list[str] | None:
    if goals is None:
        return None
    if len(goals) > MAX_GOALS:
        raise HanaroError.bad_input(f"{field}: give at most {MAX_GOALS} goals.", field=field)
    return [check_text(g, field=field, max_length=300, required=True) or "" for g in goals]


async def open_case(
    ctx: RequestContext,
    recipient_id: str,
    programme: str,
    goals: list[str],
    needs: list[str] | None = None,
) -> dict[str, Any]:
    """`needs`: the needs the case's goals address; by default the recipient's current
    (latest assessed) needs. They count as addressed in the unmet-needs check."""
    institution = demand(STAFF, ctx.viewer, action="opening a case")
    check_id("Recipient", recipient_id, field="recipientId")
    if programme not in PROGRAMMES:
        raise HanaroError.bad_input(
            f"programme {programme!r} is not a case-management programme.", field="programme"
        )
    now = iso_now()
    props = {
        "id": new_id("cas"),
        "recipientId": recipient_id,
        "programme": programme,
        "goals": _goals(goals) or [],
        "needCodes": ctx.services.needs.check(list(dict.fromkeys(needs)), field="needs")
        if needs is not None
        else None,
        "status": "OPEN",
        "leadInstitutionId": institution,
        "participants": [],
        "version": 1,
        "openedAt": now,
        "updatedAt": now,
    }
    row = await repo.open_case(
        ctx.graph,
        {k: v for k, v in props.items() if v is not None},
        ctx.access.audit("CASE_OPENED", CATEGORIES),
    )
    if row is None:
        raise HanaroError.not_found("recipient", recipient_id)
    return _record(row)


def _record(props: Any) -> dict[str, Any]:
    record = dict(props)
    for optional in ("carePlan", "closedAt", "closeReason"):
        record.setdefault(optional, None)
    return record


async def _change(
    ctx: RequestContext,
    case_id: str,
    expected_version: int,
    allowed_from: list[str],
    write: Any,
    params: dict[str, Any],
    operation: str,
) -> dict[str, Any]:
    """Run one guarded lead-only change and explain a refusal."""
    demand(STAFF, ctx.viewer, action="changing a case")
    check_id("Case", case_id, field="caseId")
    full = {
        **params,
        "caseId": case_id,
        "expectedVersion": expected_version,
        "fromStatuses": allowed_from,
    }
    row = await write(ctx.graph, full, ctx.access.audit(operation, CATEGORIES))
    if row is not None:
        return _record(row)
    raise await _explain(ctx, case_id, expected_version, allowed_from)


async def _explain(
    ctx: RequestContext, case_id: str, expected_version: int | None, allowed_from: list[str]
) -> HanaroError:
    state = await repo.case_state(ctx.graph, case_id, ctx.access)
    if state is None:
        return HanaroError.not_found("case", case_id)
    case = state["props"]
    demand(CASE_LEAD, ctx.viewer, case["leadInstitutionId"])
    if expected_version is not None and case["version"] != expected_version:
        return HanaroError(
            ErrorCode.CONFLICT,
            f"case {case_id} is at version {case['version']}, not {expected_version}: reload "
            "it and apply your change again.",
            currentVersion=case["version"],
        )
    if case["status"] not in allowed_from:
        return HanaroError(
            ErrorCode.CONFLICT,
            f"case {case_id} is {case['status']}; this change needs it to be "
            f"{' or '.join(allowed_from)}.",
            currentStatus=case["status"],
        )
    return HanaroError(ErrorCode.CONFLICT, f"case {case_id} did not change; reload it.")


async def add_case_participant(
    ctx: RequestContext, case_id: str, institution_id: str, expected_version: int
) -> dict[str, Any]:
    check_id("Institution", institution_id, field="institutionId")
    if await ctx.loaders.institutions_by_id.load(institution_id) is None:
        raise HanaroError.bad_input(
            f"institutionId: no institution with id {institution_id!r}.", field="institutionId"
        )
    if institution_id == ctx.viewer.institution_id:
        raise HanaroError.bad_input(
            "The lead institution is on the case already.", field="institutionId"
        )
    try:
        return await _change(
            ctx,
            case_id,
            expected_version,
            ["OPEN", "ACTIVE"],
            repo.add_case_participant,
            {"institutionId": institution_id},
            "CASE_PARTICIPANT_ADDED",
        )
    except HanaroError as error:
        if error.message.endswith("did not change; reload it."):
            raise HanaroError(
                ErrorCode.CONFLICT, f"{institution_id} already participates in the case."
            ) from None
        raise


async def update_care_plan(
    ctx: RequestContext,
    case_id: str,
    expected_version: int,
    care_plan: str,
    goals: list[str] | None,
) -> dict[str, Any]:
    plan = check_text(care_plan, field="carePlan", max_length=5000, required=True)
    return await _change(
        ctx,
        case_id,
        expected_version,
        ["OPEN", "ACTIVE"],
        repo.update_care_plan,
        {"carePlan": plan, "goals": _goals(goals)},
        "CARE_PLAN_UPDATED",
    )


async def close_case(
    ctx: RequestContext, case_id: str, reason: str, expected_version: int
) -> dict[str, Any]:
    text = check_text(reason, field="reason", max_length=1000, required=True)
    return await _change(
        ctx, case_id, expected_version, ["ACTIVE"], repo.close_case, {"reason": text}, "CASE_CLOSED"
    )


async def add_case_note(
    ctx: RequestContext, case_id: str, text: str, note_audience: str
) -> dict[str, Any]:
    """Lead or participants append notes (no version: notes never conflict)."""
    demand(STAFF, ctx.viewer, action="adding a case note")
    check_id("Case", case_id, field="caseId")
    body = check_text(text, field="text", max_length=5000, required=True)
    now = iso_now()
    props = {
        "id": new_id("not"),
        "caseId": case_id,
        "text": body,
        "audience": note_audience,
        "authorInstitutionId": ctx.viewer.institution_id or "",
        "author": ctx.viewer.subject or "",
        "createdAt": now,
    }
    params = {"caseId": case_id, "props": props}
    row = await repo.add_case_note(
        ctx.graph, params, ctx.access.audit("CASE_NOTE_ADDED", ["CASE_NOTES"])
    )
    if row is not None:
        return dict(row)
    state = await repo.case_state(ctx.graph, case_id, ctx.access)
    if state is None:
        raise HanaroError.not_found("case", case_id)
    if state["props"]["status"] == "CLOSED":
        raise HanaroError(ErrorCode.CONFLICT, f"case {case_id} is CLOSED; notes are closed too.")
    raise CASE_TEAM.refusal()


async def get_cases(ctx: RequestContext, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Cases by id (`_entities`), for viewers who may read the recipient's HISTORY; each
    with `notesAllowed` (CASE_NOTES)."""
    if not STAFF.admits(ctx.viewer) or not ids:
        return {}
    rows = await repo.cases_by_ids(ctx.graph, list(ids), ctx.access.audit("READ", ["HISTORY"]))
    return {
        row["props"]["id"]: {
            **_record(row["props"]),
            "notesAllowed": "CASE_NOTES" in row["allowed"],
        }
        for row in rows
    }


async def cases_of_recipients(
    ctx: RequestContext, recipient_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in recipient_ids}
    for row in await repo.cases_of(ctx.graph, recipient_ids, ctx.access):
        found[row["recipientId"]].append(_record(row["props"]))
    return found


async def notes_of_cases(
    ctx: RequestContext, case_ids: list[str], note_recipients: list[str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {cid: [] for cid in case_ids}
    rows = await repo.notes_of(ctx.graph, case_ids, note_recipients, ctx.access)
    for row in rows:
        found[row["caseId"]].append(dict(row["props"]))
    return found
