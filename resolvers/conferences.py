"""Regional care conferences (지역케어회의): a public office (주민센터, 시청) organises a
conference of its 시군구 or 읍면동 with member institutions; it schedules sessions, members
table the cases they lead (with the person's consent or a recorded legal basis), the organiser
records the minutes and the decisions — actions assigned to institutions with due dates — and
each institution works its actions (`conferenceActions`, overdue ones flagged).

Members read conferences; tabled cases only through the case access rules. Everyone else gets
what an unknown id gets."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from graph import conferences as repo
from resolvers.access import ACTING, CASE_TABLER, CONFERENCE_ORGANISER, ORGANISER, STAFF, demand
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.pagination import Page, page_request
from resolvers.stamps import iso_at
from resolvers.validation import check_id, check_text

__all__ = [
    "actions_of_sessions",
    "add_member",
    "complete_action",
    "create_conference",
    "get_conferences",
    "list_actions",
    "list_conferences",
    "record_minutes",
    "schedule_session",
    "session_record",
    "sessions_of",
    "table_case",
]

MAX_MEMBERS = 50
MAX_DECISIONS = 30


def _new_id(ctx: RequestContext, prefix: str) -> str:
    return f"{prefix}_{ctx.services.clock():013d}{uuid.uuid4().hex[:10]}"


async def _check_institutions(ctx: RequestContext, ids: list[str], field: str) -> list[str]:
    for ident in ids:
        check_id("Institution", ident, field=field)
    found = await ctx.loaders.institutions_by_id.load_many(ids)
    missing = [i for i, row in zip(ids, found, strict=True) if row is None]
    if missing:
        raise HanaroError.bad_input(f"{field}: no institution {missing[0]!r}.", field=field)
    return ids


async def create_conference(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    institution = demand(ORGANISER, ctx.viewer, action="organising a care conference")
    region = data["regionCode"]
    ctx.services.regions.check([region], field="input.regionCode")
    level = ctx.services.regions.by_code[region].get("level")
    if level not in {"SIGUNGU", "EUPMYEONDONG"} or region not in ctx.viewer.region_codes:
        raise HanaroError.bad_input(
            "input.regionCode: a conference is of the 시군구 or 읍면동 your office is in.",
            field="input.regionCode",
        )
    members = list(dict.fromkeys([institution, *(data.get("members") or [])]))
    if len(members) > MAX_MEMBERS:
        raise HanaroError.bad_input(f"at most {MAX_MEMBERS} members.", field="input.members")
    await _check_institutions(ctx, members, "input.members")
    now = iso_at(ctx.services.clock())
    props = {
        "id": _new_id(ctx, "cnf"),
        "name": check_text(data["name"], field="input.name", max_length=200, required=True),
        "regionCode": region,
        "organiser": institution,
        "members": members,
        "version": 1,
        "createdAt": now,
        "updatedAt": now,
    }
    return dict(await repo.insert_conference(ctx.graph, props))


async def add_member(
    ctx: RequestContext, conference_id: str, expected_version: int, institution_id: str
) -> dict[str, Any]:
    demand(ACTING, ctx.viewer, action="changing a care conference")
    check_id("Conference", conference_id, field="conferenceId")
    await _check_institutions(ctx, [institution_id], "institutionId")
    params = {
        "id": conference_id, "expectedVersion": expected_version, "institutionId": institution_id,
    }  # fmt: skip
    row = await repo.add_member(ctx.graph, params, ctx.access)
    if row is not None:
        return dict(row)
    state = await repo.conference_state(ctx.graph, conference_id, ctx.access)
    if state is None:
        raise HanaroError.not_found("conference", conference_id)
    demand(CONFERENCE_ORGANISER, ctx.viewer, state["organiser"], action="changes the members")
    if state["version"] != expected_version:
        raise HanaroError(
            ErrorCode.CONFLICT,
            f"conference {conference_id} is at version {state['version']}: reload it.",
            currentVersion=state["version"],
        )
    raise HanaroError(ErrorCode.CONFLICT, f"{institution_id} is a member already.")


async def schedule_session(
    ctx: RequestContext, conference_id: str, scheduled_at: datetime, place: str | None
) -> dict[str, Any]:
    demand(ACTING, ctx.viewer, action="scheduling a care conference")
    check_id("Conference", conference_id, field="conferenceId")
    now = iso_at(ctx.services.clock())
    at = scheduled_at if scheduled_at.tzinfo else scheduled_at.replace(tzinfo=UTC)
    props = {
        "id": _new_id(ctx, "ses"),
        "conferenceId": conference_id,
        "scheduledAt": at.astimezone(UTC).isoformat(timespec="minutes").replace("+00:00", "Z"),
        "place": check_text(place, field="place", max_length=200),
        "status": "SCHEDULED",
        "version": 1,
        "caseIds": [],
        "tablings": [],
        "createdAt": now,
        "updatedAt": now,
    }
    row = await repo.schedule_session(ctx.graph, props, ctx.access)
    if row is not None:
        return session_record(row)
    if await repo.conference_state(ctx.graph, conference_id, ctx.access) is None:
        raise HanaroError.not_found("conference", conference_id)
    raise CONFERENCE_ORGANISER.refusal(action="schedules sessions")


def session_record(props: Any) -> dict[str, Any]:
    """Tablings parsed ("caseId|CONSENT or LEGAL_BASIS|legal basis|institution|at")."""
    record = dict(props)
    tablings = []
    for entry in record.get("tablings") or []:
        case_id, basis, legal, institution, at = entry.split("|", 4)
        tablings.append(
            {"caseId": case_id, "basis": basis, "legalBasis": legal or None,
             "tabledBy": institution, "tabledAt": at}
        )  # fmt: skip
    record["tablings"] = tablings
    record.setdefault("minutes", None)
    record.setdefault("heldAt", None)
    return record


async def table_case(
    ctx: RequestContext,
    session_id: str,
    case_id: str,
    consent_id: str | None,
    legal_basis: str | None,
) -> dict[str, Any]:
    """The case's lead tables it; the person's live consent or a legal basis is recorded."""
    viewer_inst = demand(ACTING, ctx.viewer, action="tabling a case")
    check_id("ConferenceSession", session_id, field="sessionId")
    check_id("Case", case_id, field="caseId")
    legal = check_text(legal_basis, field="legalBasis", max_length=300)
    if consent_id is not None:
        check_id("Consent", consent_id, field="consentId")
    elif legal is None:
        raise HanaroError.bad_input(
            "Tabling a case needs the person's consent (consentId) or a legal basis "
            "(legalBasis, e.g. 사회보장급여법 제41조).",
            field="consentId",
        )
    now_ms = ctx.services.clock()
    basis = "LEGAL_BASIS" if legal else "CONSENT"
    params = {
        "sessionId": session_id,
        "caseId": case_id,
        "legalBasis": legal,
        "consentSuffix": f"|{consent_id}",
        "tabling": f"{case_id}|{basis}|{(legal or '').replace('|', '/')}|{viewer_inst}|"
        f"{iso_at(now_ms)}",
    }
    audit = ctx.access.audit("CASE_TABLED", ["HISTORY"], reason=legal or f"consent {consent_id}")
    row = await repo.table_case(ctx.graph, params, audit)
    if row is not None:
        return session_record(row)
    state = await repo.session_state(ctx.graph, session_id, ctx.access)
    if state is None:
        raise HanaroError.not_found("conference session", session_id)
    session = state["props"]
    if session["status"] != "SCHEDULED":
        raise HanaroError(
            ErrorCode.CONFLICT,
            f"session {session_id} is {session['status']}; cases are tabled before it is held.",
            currentStatus=session["status"],
        )
    if case_id in session["caseIds"]:
        raise HanaroError(ErrorCode.CONFLICT, f"{case_id} is tabled at this session already.")
    raise CASE_TABLER.refusal()


async def record_minutes(
    ctx: RequestContext,
    session_id: str,
    expected_version: int,
    minutes: str,
    decisions: list[dict[str, Any]],
) -> dict[str, Any]:
    demand(ACTING, ctx.viewer, action="recording minutes")
    check_id("ConferenceSession", session_id, field="sessionId")
    text = check_text(minutes, field="minutes", max_length=10_000, required=True)
    if len(decisions) > MAX_DECISIONS:
        raise HanaroError.bad_input(f"at most {MAX_DECISIONS} decisions.", field="decisions")
    state = await repo.session_state(ctx.graph, session_id, ctx.access)
    members = set(state["members"]) if state else set()
    tabled = set(state["props"]["caseIds"]) if state else set()
    actions = []
    for item in decisions:
        assignee = item["assigneeId"]
        if state is not None and assignee not in members:
            raise HanaroError.bad_input(
                "decisions.assigneeId: actions go to member institutions.",
                field="decisions.assigneeId",
            )
        if item.get("caseId") is not None and state is not None and item["caseId"] not in tabled:
            raise HanaroError.bad_input(
                "decisions.caseId: name a case tabled at this session.", field="decisions.caseId"
            )
        due: date = item["due"]
        actions.append(
            {"id": _new_id(ctx, "act"), "caseId": item.get("caseId"), "assignee": assignee,
             "description": check_text(item["description"], field="decisions.description",
                                       max_length=1000, required=True),
             "due": due.isoformat(),
             "dueMs": int(datetime(due.year, due.month, due.day, tzinfo=UTC).timestamp() * 1000)
             + 86_400_000}
        )  # fmt: skip
    params = {
        "sessionId": session_id, "expectedVersion": expected_version, "minutes": text,
        "actions": actions,
    }  # fmt: skip
    row = await repo.record_minutes(ctx.graph, params, ctx.access)
    if row is not None:
        return session_record(row)
    if state is None:
        raise HanaroError.not_found("conference session", session_id)
    latest = await repo.session_state(ctx.graph, session_id, ctx.access)
    session = (latest or state)["props"]
    demand(CONFERENCE_ORGANISER, ctx.viewer, state["organiser"], action="records the minutes")
    raise HanaroError(
        ErrorCode.CONFLICT,
        f"session {session_id} is {session['status']} at version {session['version']}.",
        currentStatus=session["status"],
        currentVersion=session["version"],
    )


async def complete_action(
    ctx: RequestContext, action_id: str, expected_version: int, note: str | None
) -> dict[str, Any]:
    demand(ACTING, ctx.viewer, action="completing a conference action")
    check_id("ConferenceAction", action_id, field="id")
    params = {
        "id": action_id, "expectedVersion": expected_version,
        "note": check_text(note, field="note", max_length=2000),
    }  # fmt: skip
    row = await repo.complete_action(ctx.graph, params, ctx.access)
    if row is not None:
        return dict(row)
    state = await repo.action_state(ctx.graph, action_id, ctx.access)
    if state is None:
        raise HanaroError.not_found("conference action", action_id)
    raise HanaroError(
        ErrorCode.CONFLICT,
        f"action {action_id} is {state['status']} at version {state['version']}.",
        currentStatus=state["status"],
        currentVersion=state["version"],
    )


async def get_conferences(ctx: RequestContext, ids: list[str]) -> dict[str, dict[str, Any]]:
    if not STAFF.admits(ctx.viewer) or not ids:
        return {}
    rows = await repo.conferences_by_ids(ctx.graph, ids, ctx.access)
    return {row["id"]: dict(row) for row in rows}


async def list_conferences(
    ctx: RequestContext, first: int, after: str | None
) -> Page[dict[str, Any]]:
    request = page_request(first, after, ctx.services.limits.max_page_size)
    if not STAFF.admits(ctx.viewer):
        return Page.empty(request)
    rows = await repo.list_conferences(
        ctx.graph, ctx.access, after=request.after, limit=request.limit
    )

    async def total() -> int:
        return await repo.count_conferences(ctx.graph, ctx.access)

    return Page.from_rows([dict(r) for r in rows], request, total)


async def list_actions(
    ctx: RequestContext,
    statuses: list[str] | None,
    overdue: bool | None,
    first: int,
    after: str | None,
) -> Page[dict[str, Any]]:
    """The institution's worklist of conference actions, oldest first."""
    request = page_request(first, after, ctx.services.limits.max_page_size)
    if not STAFF.admits(ctx.viewer):
        return Page.empty(request)
    params = {
        "statuses": statuses, "overdue": overdue, "after": request.after,
        "pageSize": request.limit,
    }  # fmt: skip
    rows = await repo.list_actions(ctx.graph, params, ctx.access)

    async def total() -> int:
        return await repo.count_actions(ctx.graph, params, ctx.access)

    return Page.from_rows([dict(r) for r in rows], request, total)


async def sessions_of(ctx: RequestContext, conference_ids: list[str]) -> list[dict[str, Any]]:
    """For conferences already read under the membership check."""
    return await repo.sessions_of(ctx.graph, conference_ids, ctx.access)


async def actions_of_sessions(ctx: RequestContext, session_ids: list[str]) -> list[dict[str, Any]]:
    """For sessions of conferences already read under the membership check."""
    return await repo.actions_of_sessions(ctx.graph, session_ids, ctx.access)
