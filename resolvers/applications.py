"""Applications taken anywhere (신청 대행·접수): RECEIVED (taken, its documents checklist kept
up) -> FORWARDED (to the 주민센터 responsible for the person's home, once every required
document is in) -> IN_REVIEW -> DECIDED (GRANTED, which records the enrollment, or REFUSED
with a reason). The taker (a welfare centre, health centre, hospital …) acts until
forwarding, the office after; `CASEWORKER` or `ADMIN` only. Every change names the version it
saw and is audited; the parties read the application, everyone else gets what an unknown id
gets. Timed by `services.clock`."""

from __future__ import annotations

import json
import uuid
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from graph import applications as repo
from resolvers.access import ACTING, APPLICATION_PARTY, STAFF, demand
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.intakes import actor_name, history_entries
from resolvers.pagination import Page, page_request
from resolvers.responsible_offices import responsible_offices
from resolvers.stamps import iso_at
from resolvers.validation import check_id, check_text
from vocabulary.access import Viewer

__all__ = [
    "change_application",
    "get_applications",
    "list_applications",
    "required_documents",
    "take_application",
]

SEED = Path(__file__).resolve().parent.parent / "graph" / "seed" / "program_documents.json"
GRANTED_CATEGORIES = ("IDENTITY", "NEEDS")


@cache
def _seed() -> dict[str, Any]:
    return dict(json.loads(SEED.read_text(encoding="utf-8")))


def required_documents(program_id: str) -> list[dict[str, str]]:
    """The checklist of a programme: code, Korean and English label."""
    seed = _seed()
    return [
        {"code": code, "labelKo": seed["labels"][code][0], "label": seed["labels"][code][1]}
        for code in seed["documents"].get(program_id, [])
    ]


def _documents(program_id: str, given: list[str]) -> list[str]:
    known = {d["code"] for d in required_documents(program_id)} | set(_seed()["labels"])
    unknown = [code for code in given if code not in known]
    if unknown:
        raise HanaroError.bad_input(
            f"documents: unknown document code(s) {', '.join(unknown[:5])}; "
            "Program.requiredDocuments lists them.",
            field="documents",
        )
    return list(dict.fromkeys(given))


def _record(props: Any) -> dict[str, Any]:
    record = dict(props)
    record["history"] = history_entries(record.get("history") or [])
    required = [d["code"] for d in required_documents(record["programId"])]
    record["missingDocuments"] = [c for c in required if c not in (record.get("documents") or [])]
    for optional in ("forwardedTo", "decision", "reason", "decidedAt", "enrollmentId"):
        record.setdefault(optional, None)
    return record


async def take_application(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    institution = demand(ACTING, ctx.viewer, action="taking an application")
    rid = check_id("Recipient", data["recipientId"], field="input.recipientId")
    program = ctx.services.programs.check(data["programId"], field="input.programId")
    now_ms = ctx.services.clock()
    now = iso_at(now_ms)
    props = {
        "id": f"apl_{now_ms:013d}{uuid.uuid4().hex[:10]}",
        "recipientId": rid,
        "programId": program,
        "takenBy": institution,
        "takenByActor": ctx.viewer.subject or "",
        "documents": _documents(program, list(data.get("documents") or [])),
        "note": check_text(data.get("note"), field="input.note", max_length=2000),
        "status": "RECEIVED",
        "version": 1,
        "history": [f"RECEIVED|{now}|{institution}||{actor_name(ctx)}"],
        "createdAt": now,
        "createdAtMs": now_ms,
        "updatedAt": now,
    }
    audit = ctx.access.audit("APPLICATION_TAKEN", ["IDENTITY"])
    row = await repo.insert_application(ctx.graph, props, audit)
    if row is None:
        raise HanaroError.not_found("recipient", rid)
    return _record(row)


# step -> (side that acts, from statuses, to status)
STEPS = {
    "DOCUMENTS": ("taker", ["RECEIVED"], "RECEIVED"),
    "FORWARD": ("taker", ["RECEIVED"], "FORWARDED"),
    "REVIEW": ("office", ["FORWARDED"], "IN_REVIEW"),
    "DECIDE": ("office", ["IN_REVIEW"], "DECIDED"),
}


async def change_application(
    ctx: RequestContext, step: str, ident: str, expected_version: int, **args: Any
) -> dict[str, Any]:
    institution = demand(ACTING, ctx.viewer, action="changing an application")
    check_id("Application", ident, field="id")
    side, allowed, status = STEPS[step]
    now_ms = ctx.services.clock()
    now = iso_at(now_ms)
    note = check_text(args.get("note"), field="note", max_length=2000) or ""
    changes: dict[str, Any] = {"status": status}
    grants: list[str] = []
    drop = f"|application|{ident}#none"  # nothing removed
    enrollment = None
    state = await repo.application_state(ctx.graph, ident, ctx.access)
    if step == "DOCUMENTS" and state is not None:
        changes["documents"] = _documents(state["programId"], list(args["documents"]))
    elif step == "FORWARD" and state is not None:
        missing = _record({**state, "id": ident})["missingDocuments"]
        if missing:
            raise HanaroError(
                ErrorCode.BAD_USER_INPUT,
                f"Forwarding needs every required document; missing: {', '.join(missing)}.",
                field="documents",
                missing=missing,
            )
        offices = await responsible_offices(ctx.services, state["regionCode"] or "")
        if not offices:
            raise HanaroError.bad_input(
                "No public office is responsible for the person's home region.", field="id"
            )
        changes.update(forwardedTo=offices[0], forwardedAt=now)
        grants = [f"{offices[0]}|{c}|application|{ident}" for c in GRANTED_CATEGORIES]
    elif step == "DECIDE":
        decision = args["decision"]
        reason = check_text(args.get("reason"), field="reason", max_length=1000)
        if decision == "REFUSED" and not reason:
            raise HanaroError.bad_input("A refusal needs its reason.", field="reason")
        changes.update(decision=decision, reason=reason, decidedAt=now)
        drop = f"|application|{ident}"
        if decision == "GRANTED":
            start = args.get("start")
            enrollment = {
                "id": f"enr_{uuid.uuid4().hex[:20]}",
                "start": start.isoformat() if isinstance(start, date) else now[:10],
            }
            changes["enrollmentId"] = enrollment["id"]
    params = {
        "id": ident,
        "expectedVersion": expected_version,
        "fromStatuses": allowed,
        "changes": changes,
        "entry": f"{status}|{now}|{institution}|{note.replace('|', '/')}|{actor_name(ctx)}",
        "grants": grants,
        "dropSuffix": drop,
        "enrollment": enrollment,
    }
    audit = ctx.access.audit(f"APPLICATION_{step}", ["IDENTITY"])
    row = await repo.transition_application(ctx.graph, side, params, audit)
    if row is not None:
        return _record(row)
    # Read again: a concurrent change may be why nothing was written.
    latest = await repo.application_state(ctx.graph, ident, ctx.access)
    raise _explain(ident, latest, ctx.viewer, side, expected_version, allowed)


def _explain(
    ident: str,
    state: dict[str, Any] | None,
    viewer: Viewer,
    side: str,
    expected: int,
    allowed: list[str],
) -> HanaroError:
    if state is None:
        return HanaroError.not_found("application", ident)
    actor = state["takenBy"] if side == "taker" else state["forwardedTo"]
    who = "the institution that took it" if side == "taker" else "the office it went to"
    demand(APPLICATION_PARTY, viewer, actor, who=who)
    detail = {"currentVersion": state["version"], "currentStatus": state["status"]}
    if state["version"] != expected:
        return HanaroError(
            ErrorCode.CONFLICT,
            f"application {ident} is at version {state['version']}, not {expected}: reload it.",
            **detail,
        )
    return HanaroError(
        ErrorCode.CONFLICT,
        f"application {ident} is {state['status']}; this step needs it {' or '.join(allowed)}.",
        **detail,
    )


async def list_applications(
    ctx: RequestContext, side: str, statuses: list[str] | None, first: int, after: str | None
) -> Page[dict[str, Any]]:
    """`taker`: the applications your institution took; `office`: those forwarded to it."""
    request = page_request(first, after, ctx.services.limits.max_page_size)
    if not STAFF.admits(ctx.viewer):
        return Page.empty(request)
    rows = await repo.list_applications(
        ctx.graph, side, statuses, after=request.after, limit=request.limit,
        access=ctx.access.audit("READ_APPLICATION", ["IDENTITY"]),
    )  # fmt: skip

    async def total() -> int:
        return await repo.count_applications(ctx.graph, side, statuses, ctx.access)

    return Page.from_rows([_record(r) for r in rows], request, total)


async def get_applications(ctx: RequestContext, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not STAFF.admits(ctx.viewer) or not ids:
        return {}
    audit = ctx.access.audit("READ_APPLICATION", ["IDENTITY"])
    rows = await repo.applications_by_ids(ctx.graph, ids, audit)
    return {row["id"]: _record(row) for row in rows}
