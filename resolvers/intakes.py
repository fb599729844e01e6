"""One-stop intake (상담 접수): taking a first contact and reading intakes (the workflow that
follows is in `resolvers.intake_workflow`).

An intake attaches to a recipient the taker may read (identity and needs), or registers a new
one. The national id's keyed hash finds duplicates: an existing record is used when the taker
is entitled to it; otherwise the answer is the registration's CONFLICT, which names no record.
Intakes are timed by `services.clock`, so tests move time to escalate them."""

from __future__ import annotations

import json
import uuid
from typing import Any

from graph import intakes as repo
from graph import recipients as recipients_repo
from graph.engine import GraphConstraintError
from resolvers.access import ACTING, STAFF, demand
from resolvers.context import RequestContext
from resolvers.errors import HanaroError
from resolvers.pagination import Page, page_request
from resolvers.recipients import duplicate_error, new_recipient_props
from resolvers.stamps import iso_at
from resolvers.validation import check_id, check_text
from vocabulary.access import CATEGORIES

__all__ = [
    "GRANTED",
    "actor_name",
    "get_intakes",
    "intake_grants",
    "intake_queue",
    "intake_record",
    "intakes_of_recipients",
    "take_intake",
]

# What the offices an intake is escalated or handed to may read of the person.
GRANTED = ("IDENTITY", "CONTACT", "NEEDS")
MAX_NEEDS = 30


def _survey(ctx: RequestContext, needs: list[dict[str, Any]]) -> tuple[list[str], list[int]]:
    if not 1 <= len(needs) <= MAX_NEEDS:
        raise HanaroError.bad_input(
            f"input.needs: record between 1 and {MAX_NEEDS} needs of the basic needs survey.",
            field="input.needs",
        )
    codes = [n["code"] for n in needs]
    if len(set(codes)) != len(codes):
        raise HanaroError.bad_input("input.needs lists a code twice.", field="input.needs")
    ctx.services.needs.check(codes, field="input.needs")
    for item in needs:
        if not 1 <= item["severity"] <= 5:
            raise HanaroError.bad_input(
                f"input.needs: severity of {item['code']} must be 1 to 5.",
                field="input.needs.severity",
            )
    return codes, [n["severity"] for n in needs]


def intake_grants(offices: list[str], intake_id: str) -> list[str]:
    return [f"{office}|{category}|intake|{intake_id}" for office in offices for category in GRANTED]


async def take_intake(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    """Record a first contact; `recipientId` or `person` (new, or found by national id)."""
    institution = demand(ACTING, ctx.viewer, action="taking an intake")
    codes, severities = _survey(ctx, list(data["needs"]))
    situation = check_text(
        data["situation"], field="input.situation", max_length=5000, required=True
    )
    recipient_id, person = data.get("recipientId"), data.get("person")
    if (recipient_id is None) == (person is None):
        raise HanaroError.bad_input(
            "Give either recipientId (a person you may read) or person (to register).",
            field="input.person",
        )
    props = (
        new_recipient_props(ctx, person, institution)
        if person is not None
        else {"id": check_id("Recipient", recipient_id, field="input.recipientId")}
    )
    now_ms = ctx.services.clock()
    picked = bool(data.get("pickUp"))
    first = {
        "channel": data["channel"], "situation": situation, "urgency": data["urgency"],
        "needCodes": codes, "severities": severities, "picked": picked,
        "consentObtained": list(dict.fromkeys(data.get("consentObtained") or [])),
    }  # fmt: skip
    if person is not None:
        # Registering is tried first: the statement itself refuses a known national id.
        record = {k: v for k, v in props.items() if v is not None}
        record.update(currentNeeds=codes, lastAssessedAt=iso_at(now_ms))
        survey, intake = _new_records(ctx, record["id"], first, now_ms)
        audit = ctx.access.audit("INTAKE_REGISTERED", CATEGORIES)
        try:
            row = await repo.take_intake_new(ctx.graph, record, survey, intake, audit)
        except GraphConstraintError:  # the same person, registered by a concurrent request
            row = None
        if row is not None:
            return {**intake_record(row), "matchedExisting": False}
        existing = await recipients_repo.find_by_id_hash(ctx.graph, props["idHash"] or "")
        if existing is None or (
            await recipients_repo.recipient_state(ctx.graph, existing, ctx.access) is None
        ):
            raise await duplicate_error(ctx, existing or "")
        props = {"id": existing}
    survey, intake = _new_records(ctx, props["id"], first, now_ms)
    audit = ctx.access.audit("INTAKE_TAKEN", ["IDENTITY", "NEEDS"])
    row = await repo.take_intake_existing(ctx.graph, survey, intake, audit)
    if row is None:
        raise HanaroError.not_found("recipient", props["id"])
    return {**intake_record(row), "matchedExisting": person is not None}


def _new_records(
    ctx: RequestContext, recipient_id: str, first: dict[str, Any], now_ms: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The basic needs survey (an assessment) and the intake of one first contact."""
    institution = ctx.viewer.institution_id or ""
    now = iso_at(now_ms)
    picked = first["picked"]
    status = "IN_PROGRESS" if picked else "OPEN"
    survey = {
        "id": f"asm_{uuid.uuid4().hex[:20]}",
        "recipientId": recipient_id,
        "institutionId": institution,
        "assessedBy": ctx.viewer.subject or "",
        "assessedAt": now,
        "needCodes": first["needCodes"],
        "severities": first["severities"],
        "notes": ["" for _ in first["needCodes"]],
        "kind": "BASIC_SURVEY",
    }
    minutes = ctx.services.intake_escalation_minutes
    urgent = first["urgency"] == "URGENT"
    intake = {
        "id": f"itk_{now_ms:013d}{uuid.uuid4().hex[:10]}",
        "recipientId": recipient_id,
        "institutionId": institution,
        "takenBy": institution,
        "takenByActor": ctx.viewer.subject or "",
        "channel": first["channel"],
        "situation": first["situation"],
        "urgency": first["urgency"],
        "needCodes": first["needCodes"],
        "severities": first["severities"],
        "consentObtained": first["consentObtained"],
        "status": status,
        "version": 1,
        "queue": [institution],
        "escalateAtMs": now_ms + minutes * 60_000 if urgent and not picked else None,
        "escalated": False,
        "createdAt": now,
        "createdAtMs": now_ms,
        "updatedAt": now,
        "history": [f"{status}|{now}|{institution}||{actor_name(ctx)}"],
        "pickedUpInst": institution if picked else None,
        "pickedUpBy": ctx.viewer.subject if picked else None,
        "pickedUpAt": now if picked else None,
        "pickedUpAtMs": now_ms if picked else None,
        "assessmentId": survey["id"],
    }
    return survey, intake


def actor_name(ctx: RequestContext) -> str:
    return (ctx.viewer.subject or "").replace("|", "/")


def history_entries(entries: list[str]) -> list[dict[str, Any]]:
    """Stored `status|at|institution|note|actor` steps (intakes, applications) as the API
    shows them."""
    history = []
    for entry in entries:
        status, at, institution, note, actor = entry.split("|", 4)
        history.append(
            {"status": status, "at": at, "institutionId": institution or None,
             "note": note or None, "actor": actor}
        )  # fmt: skip
    return history


def intake_record(props: Any) -> dict[str, Any]:
    """The stored intake as the API shows it: plan and history parsed, internals dropped."""
    record = dict(props)
    record["history"] = history_entries(record.get("history") or [])
    plan = record.pop("planJson", None)
    record["plan"] = json.loads(plan) if plan else None
    for optional in ("action", "actionNote", "referralId", "caseId", "closedAt", "pickedUpAt"):
        record.setdefault(optional, None)
    return record


async def intake_queue(
    ctx: RequestContext, statuses: list[str] | None, first: int, after: str | None
) -> Page[dict[str, Any]]:
    """The viewer institution's queue, oldest first, each intake read audited."""
    request = page_request(first, after, ctx.services.limits.max_page_size)
    if not STAFF.admits(ctx.viewer):
        return Page.empty(request)
    rows = await repo.list_queue(
        ctx.graph,
        statuses,
        ctx.access.audit("READ_INTAKE", ["NEEDS"]),
        after=request.after,
        limit=request.limit,
    )

    async def total() -> int:
        return await repo.count_queue(ctx.graph, statuses, ctx.access)

    return Page.from_rows([intake_record(r) for r in rows], request, total)


async def get_intakes(ctx: RequestContext, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not STAFF.admits(ctx.viewer) or not ids:
        return {}
    rows = await repo.intakes_by_ids(ctx.graph, ids, ctx.access.audit("READ_INTAKE", ["NEEDS"]))
    return {row["id"]: intake_record(row) for row in rows}


async def intakes_of_recipients(
    ctx: RequestContext, recipient_ids: list[str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in recipient_ids}
    for row in await repo.intakes_of(ctx.graph, recipient_ids, ctx.access):
        found[row["recipientId"]].append(intake_record(row["props"]))
    return found
