"""Crisis reports (위기가구 발굴 신고), the channel of the national welfare crisis alert: staff,
village welfare planners (VILLAGE_PLANNER) and any resident (no token) report a person who may
be in crisis, or themselves. The report goes to the 주민센터 responsible for the place (else the
시청; a place neither covers is refused, never stored for no one), whose staff work it:
RECEIVED -> VISITED -> ASSESSED -> CLOSED (INTAKE or CASE, linked), or CLOSED with NO_ACTION
and a reason from any open state.

A reporter learns only that the report was received: the answer is the same whoever is
reported, nothing about recipients is read, and public reports are limited per address."""

from __future__ import annotations

import uuid
from typing import Any

from graph import crisis_reports as repo
from resolvers.access import STAFF, WORKING, demand
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.pagination import Page, page_request
from resolvers.responsible_offices import responsible_offices
from resolvers.stamps import iso_at
from resolvers.validation import check_id, check_phone, check_text

__all__ = [
    "RECEIPT",
    "change_report",
    "get_reports",
    "list_reports",
    "report_crisis",
]

RECEIPT = {
    "received": True,
    "message": "신고가 접수되었습니다. 관할 주민센터에서 확인합니다. (Your report was received.)",
}
OUTCOMES = {"INTAKE": "intakeId", "CASE": "caseId", "NO_ACTION": "reason"}
# step -> (allowed from, to status)
STEPS = {
    "VISIT": (["RECEIVED"], "VISITED"),
    "ASSESS": (["VISITED"], "ASSESSED"),
    "CLOSE": (["ASSESSED"], "CLOSED"),
    "CLOSE_NO_ACTION": (["RECEIVED", "VISITED", "ASSESSED"], "CLOSED"),
}


def _reporter_kind(ctx: RequestContext) -> str:
    if ctx.viewer.anonymous:
        return "RESIDENT"
    return "VILLAGE_PLANNER" if "VILLAGE_PLANNER" in ctx.viewer.roles else "STAFF"


async def report_crisis(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    """Anyone may report; the answer is always the same receipt."""
    if ctx.viewer.anonymous and not ctx.services.crisis_reports.admit(ctx.client_address):
        raise HanaroError(
            ErrorCode.RATE_LIMITED,
            "Too many reports from your address in the last hour; call 129 (보건복지상담센터) "
            "if someone is in danger now.",
        )
    region = data["regionCode"]
    ctx.services.regions.check([region], field="input.regionCode")
    observed = check_text(data["observed"], field="input.observed", max_length=3000, required=True)
    agreed = bool(data.get("contactAgreed"))
    contact = data.get("reporter") or {}
    offices = await responsible_offices(ctx.services, region)
    if not offices:
        # Stored unassigned, it would reach no one: the reporter hears where to go instead.
        raise HanaroError.bad_input(
            "No 주민센터 or 시청 in Hanaro is responsible for this region yet, so the report "
            "could not be delivered: tell the 시군구 office directly, or call 129 "
            "(보건복지상담센터) if someone is in danger now.",
            field="input.regionCode",
        )
    now_ms = ctx.services.clock()
    now = iso_at(now_ms)
    props = {
        "id": f"crr_{now_ms:013d}{uuid.uuid4().hex[:10]}",
        "regionCode": region,
        "address": check_text(data.get("address"), field="input.address", max_length=300),
        "observed": observed,
        "aboutSelf": bool(data.get("aboutSelf")),
        "reporterKind": _reporter_kind(ctx),
        "reporterInstitutionId": ctx.viewer.institution_id or "",
        "reporterActor": ctx.viewer.subject or "anonymous",
        # How to reach the reporter is kept only when they agree to be contacted.
        "reporterName": check_text(contact.get("name"), field="input.reporter.name", max_length=100)
        if agreed
        else None,
        "reporterPhone": check_phone(contact.get("phone"), field="input.reporter.phone")
        if agreed
        else None,
        "contactAgreed": agreed,
        "assignedTo": offices[0],
        "status": "RECEIVED",
        "version": 1,
        "history": [f"RECEIVED|{now}|||{_reporter_kind(ctx).lower()}"],
        "createdAt": now,
        "createdAtMs": now_ms,
        "updatedAt": now,
    }
    await repo.insert_report(ctx.graph, props, ctx.access.audit("CRISIS_REPORTED"))
    return dict(RECEIPT)


def report_record(props: Any) -> dict[str, Any]:
    record = dict(props)
    history = []
    for entry in record.get("history") or []:
        status, at, _institution, note, actor = entry.split("|", 4)
        history.append({"status": status, "at": at, "note": note or None, "actor": actor})
    record["history"] = history
    for optional in ("visitNote", "assessmentNote", "needCodes", "outcome", "outcomeReason",
                     "intakeId", "caseId", "closedAt"):  # fmt: skip
        record.setdefault(optional, None)
    return record


async def change_report(
    ctx: RequestContext, step: str, report_id: str, expected_version: int, **args: Any
) -> dict[str, Any]:
    """VISIT, ASSESS or CLOSE (with an outcome) by the assigned office."""
    demand(WORKING, ctx.viewer, action="working a crisis report")
    check_id("CrisisReport", report_id, field="id")
    note = check_text(args.get("note"), field="note", max_length=3000) or ""
    changes: dict[str, Any] = {}
    if step == "VISIT":
        changes = {"visitNote": note or None}
    elif step == "ASSESS":
        codes = list(dict.fromkeys(args.get("needs") or []))
        ctx.services.needs.check(codes, field="needs")
        changes = {"assessmentNote": note or None, "needCodes": codes}
    else:
        outcome = args["outcome"]
        key = OUTCOMES[outcome]
        value = args.get(key)
        if not value:
            raise HanaroError.bad_input(f"outcome {outcome} needs {key}.", field=key)
        if key == "reason":
            value = check_text(value, field="reason", max_length=1000, required=True)
        else:
            check_id("Intake" if key == "intakeId" else "Case", value, field=key)
        step = "CLOSE_NO_ACTION" if outcome == "NO_ACTION" else "CLOSE"
        changes = {"outcome": outcome, key if key != "reason" else "outcomeReason": value}
    allowed, status = STEPS[step]
    now_ms = ctx.services.clock()
    now = iso_at(now_ms)
    if status == "CLOSED":
        changes["closedAt"] = now
    changes["status"] = status
    actor = (ctx.viewer.subject or "").replace("|", "/")
    params = {
        "id": report_id,
        "expectedVersion": expected_version,
        "fromStatuses": allowed,
        "changes": changes,
        "entry": f"{status}|{now}|{ctx.viewer.institution_id}|{note.replace('|', '/')}|{actor}",
    }
    audit = ctx.access.audit(f"CRISIS_REPORT_{status}")
    row = await repo.transition_report(ctx.graph, params, audit)
    if row is not None:
        return report_record(row)
    state = await repo.report_state(ctx.graph, report_id, ctx.access)
    if state is None:
        raise HanaroError.not_found("crisis report", report_id)
    detail = {"currentVersion": state["version"], "currentStatus": state["status"]}
    if state["version"] != expected_version:
        raise HanaroError(
            ErrorCode.CONFLICT,
            f"crisis report {report_id} is at version {state['version']}, not "
            f"{expected_version}: reload it.",
            **detail,
        )
    raise HanaroError(
        ErrorCode.CONFLICT,
        f"crisis report {report_id} is {state['status']}; this step needs it "
        f"{' or '.join(allowed)}.",
        **detail,
    )


async def list_reports(
    ctx: RequestContext, statuses: list[str] | None, first: int, after: str | None
) -> Page[dict[str, Any]]:
    """Reports assigned to the viewer's institution, oldest first, each read audited."""
    request = page_request(first, after, ctx.services.limits.max_page_size)
    if not STAFF.admits(ctx.viewer):
        return Page.empty(request)
    rows = await repo.list_reports(
        ctx.graph, ctx.access.audit("READ"), statuses, after=request.after, limit=request.limit
    )

    async def total() -> int:
        return await repo.count_reports(ctx.graph, ctx.access, statuses)

    return Page.from_rows([report_record(r) for r in rows], request, total)


async def get_reports(ctx: RequestContext, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not STAFF.admits(ctx.viewer) or not ids:
        return {}
    rows = await repo.reports_by_ids(ctx.graph, ids, ctx.access.audit("READ"))
    return {row["id"]: report_record(row) for row in rows}
