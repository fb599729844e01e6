"""One-stop intake (상담 접수), the workflow: OPEN (waiting in a queue) -> IN_PROGRESS (picked
up) -> CLOSED (answered, referred or a case opened); OPEN or IN_PROGRESS -> handed over to the
responsible 주민센터 (OPEN again, in its queue). An URGENT intake nobody picks up within
`services.intake_escalation_minutes` joins the queues of the responsible 주민센터 and 시청
(`escalate_due`, run by the server's periodic task). Every change names the version it saw;
the one statement that writes it checks actor, state and version."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from graph import intakes as repo
from graph.access import GraphAccess
from resolvers.access import ACTING, INTAKE_HOLDER, INTAKE_QUEUE, demand
from resolvers.context import RequestContext, Services
from resolvers.errors import ErrorCode, HanaroError
from resolvers.intakes import actor_name, intake_grants, intake_record
from resolvers.responsible_offices import responsible_offices
from resolvers.stamps import iso_at
from resolvers.validation import check_id, check_text

__all__ = ["ACTIONS", "change_intake", "escalate_due"]

MAX_PLAN_ITEMS = 20
# How an intake is closed: what was done for the person.
ACTIONS = frozenset({"ANSWERED", "REFERRED", "CASE_OPENED"})


def _plan(ctx: RequestContext, plan: dict[str, Any]) -> str:
    goals = [
        check_text(g, field="plan.goals", max_length=300, required=True) or ""
        for g in plan.get("goals") or []
    ]
    items = list(plan.get("items") or [])
    if len(goals) > MAX_PLAN_ITEMS or len(items) > MAX_PLAN_ITEMS:
        raise HanaroError.bad_input(
            f"plan: at most {MAX_PLAN_ITEMS} goals and {MAX_PLAN_ITEMS} items.", field="plan"
        )
    stored = []
    for item in items:
        for key, kind in (("institutionId", "Institution"), ("resourceId", "Resource")):
            if item.get(key) is not None:
                check_id(kind, item[key], field=f"plan.items.{key}")
        if item.get("programId") is not None:
            ctx.services.programs.check(item["programId"], field="plan.items.programId")
        due = item.get("due")
        stored.append(
            {
                "description": check_text(
                    item["description"], field="plan.items.description", max_length=500,
                    required=True,
                ),
                "institutionId": item.get("institutionId"),
                "resourceId": item.get("resourceId"),
                "programId": item.get("programId"),
                "due": due.isoformat() if isinstance(due, date) else None,
            }
        )  # fmt: skip
    return json.dumps({"goals": goals, "items": stored}, ensure_ascii=False)


async def change_intake(
    ctx: RequestContext, step: str, intake_id: str, expected_version: int, **args: Any
) -> dict[str, Any]:
    """PICK_UP, HAND_OVER, CLOSE or PLAN: one guarded statement; a refusal is explained."""
    institution = demand(ACTING, ctx.viewer, action="changing an intake")
    check_id("Intake", intake_id, field="id")
    now_ms = ctx.services.clock()
    now = iso_at(now_ms)
    note = check_text(args.get("note"), field="note", max_length=2000) or ""
    grants: list[str] = []
    drop = f"|intake|{intake_id}#none"  # a suffix no grant has: nothing removed
    if step == "PICK_UP":
        actor, allowed, status = "queue", ["OPEN"], "IN_PROGRESS"
        changes = {
            "status": status, "pickedUpInst": institution, "pickedUpBy": ctx.viewer.subject,
            "pickedUpAt": now, "pickedUpAtMs": now_ms, "escalateAtMs": None,
        }  # fmt: skip
    elif step == "HAND_OVER":
        actor, allowed, status = "queue", ["OPEN", "IN_PROGRESS"], "OPEN"
        state = await repo.intake_state(ctx.graph, intake_id, ctx.access)
        offices = await _intake_offices(ctx, intake_id) if state is not None else []
        centre = offices[0] if offices else None
        if state is not None and (centre is None or centre == institution):
            raise HanaroError.bad_input(
                "There is no other 주민센터 responsible for the person's home to hand over to.",
                field="id",
            )
        grants = intake_grants([centre], intake_id) if centre else []
        changes = {
            "status": status, "institutionId": centre, "queue": [centre],
            "pickedUpInst": None, "pickedUpBy": None, "pickedUpAt": None, "pickedUpAtMs": None,
            "handedOverBy": institution,
        }  # fmt: skip
    elif step == "CLOSE":
        actor, allowed, status = "holder", ["IN_PROGRESS"], "CLOSED"
        done = args["action"]
        if done not in ACTIONS:
            raise HanaroError.bad_input(f"action must be one of {sorted(ACTIONS)}.", field="action")
        links = {"REFERRED": ("referralId", "Referral"), "CASE_OPENED": ("caseId", "Case")}
        if done in links:
            key, kind = links[done]
            if args.get(key) is None:
                raise HanaroError.bad_input(f"{done} needs {key}.", field=key)
            check_id(kind, args[key], field=key)
        drop = f"|intake|{intake_id}"
        changes = {
            "status": status, "action": done, "actionNote": note or None, "closedAt": now,
            "referralId": args.get("referralId"), "caseId": args.get("caseId"),
            "escalateAtMs": None,
        }  # fmt: skip
    else:  # PLAN
        actor, allowed, status = "queue", ["OPEN", "IN_PROGRESS"], "PLANNED"
        changes = {"planJson": _plan(ctx, args["plan"]), "planUpdatedAt": now}
    params = {
        "id": intake_id,
        "expectedVersion": expected_version,
        "fromStatuses": allowed,
        "changes": changes,
        "entry": f"{status}|{now}|{institution}|{note.replace('|', '/')}|{actor_name(ctx)}",
        "grants": grants,
        "dropSuffix": drop,
    }
    audit = ctx.access.audit(f"INTAKE_{step}", ["NEEDS"])
    row = await repo.transition_intake(ctx.graph, actor, params, audit)
    if row is not None:
        return intake_record(row)
    raise await _explain(ctx, intake_id, expected_version, allowed, actor)


async def _intake_offices(ctx: RequestContext, intake_id: str) -> list[str]:
    rows = await repo.intakes_by_ids(
        ctx.graph, [intake_id], ctx.access.audit("READ_INTAKE", ["NEEDS"])
    )
    return await responsible_offices(ctx.services, rows[0]["regionCode"]) if rows else []


async def _explain(
    ctx: RequestContext, intake_id: str, expected: int, allowed: list[str], actor: str
) -> HanaroError:
    state = await repo.intake_state(ctx.graph, intake_id, ctx.access)
    if state is None:
        return HanaroError.not_found("intake", intake_id)
    if actor == "queue":
        demand(INTAKE_QUEUE, ctx.viewer, state["queue"])
    if actor == "holder":
        demand(INTAKE_HOLDER, ctx.viewer, state["pickedUpInst"])
    if state["version"] != expected:
        return HanaroError(
            ErrorCode.CONFLICT,
            f"intake {intake_id} is at version {state['version']} ({state['status']}), not "
            f"{expected}: reload it.",
            currentVersion=state["version"],
            currentStatus=state["status"],
        )
    if state["status"] not in allowed:
        return HanaroError(
            ErrorCode.CONFLICT,
            f"intake {intake_id} is {state['status']}; this change needs it "
            f"{' or '.join(allowed)}.",
            currentVersion=state["version"],
            currentStatus=state["status"],
        )
    return HanaroError(ErrorCode.CONFLICT, f"intake {intake_id} did not change; reload it.")


async def escalate_due(services: Services, *, request_id: str = "escalation") -> int:
    """Escalate every urgent intake past its time to the offices responsible for the person's
    home (other than the holder); returns how many escalated."""
    total = 0
    while True:
        system = GraphAccess.system(actor="system", now_ms=services.clock(), request_id=request_id)
        due = await repo.due_intakes(services.graph, system, batch=200)
        offices: dict[str, list[str]] = {}
        rows = []
        for intake in due:
            region = intake["regionCode"] or ""
            if region not in offices:
                offices[region] = await responsible_offices(services, region)
            targets = [o for o in offices[region] if o != intake["institutionId"]]
            rows.append(
                {"id": intake["id"], "offices": targets,
                 "grants": intake_grants(targets, intake["id"])}
            )  # fmt: skip
        if rows:
            escalated = await repo.escalate(services.graph, rows, system.audit("INTAKE_ESCALATED"))
            total += len(escalated)
        if len(due) < 200:
            return total
