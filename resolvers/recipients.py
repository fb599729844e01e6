"""Recipients (대상자): registration, entitled reads and the access log.

An institution reads a recipient only through a role it holds (registered them, leads or joins
an open case, target of an accepted referral, covered by a live consent for the category
read). The check and the audit event are part of the one statement that reads
(`graph.recipients`); here the record is cut to the categories the viewer may read. An
unentitled viewer gets exactly what an unknown id gives."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date
from typing import Any

from graph import recipients as repo
from graph.engine import GraphConstraintError
from resolvers.access import ACCESS_LOG_READER, PLATFORM, STAFF, demand, reads
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.pagination import Page, page_request
from resolvers.stamps import iso_now, new_id
from resolvers.validation import check_email, check_id, check_phone, check_text
from vocabulary.access import CATEGORIES

__all__ = [
    "CATEGORY_FIELDS",
    "access_log",
    "duplicate_error",
    "get_recipients",
    "list_recipients",
    "new_recipient_props",
    "present_recipient",
    "register_recipient",
]

# Fields of the recipient record that each data category covers. NEEDS, HISTORY and
# CASE_NOTES cover nested data (assessments; enrollments, cases and referrals; case notes).
CATEGORY_FIELDS: dict[str, tuple[str, ...]] = {
    "IDENTITY": (
        "name", "birthDate", "sex", "regionCode", "householdSize", "householdType",
        "incomePercent", "disability", "flags",
    ),
    "CONTACT": ("phone", "email", "address"),
    "NEEDS": ("currentNeeds", "lastAssessedAt"),
    "HISTORY": (),
    "CASE_NOTES": (),
}  # fmt: skip
_NATIONAL_ID = re.compile(r"^(\d{6})-?([1-8]\d{6})$")
MAX_FLAGS = 10


def present_recipient(record: dict[str, Any]) -> dict[str, Any]:
    """Fields of categories the viewer may not read become None and are named."""
    shown = dict(record)
    withheld = [c for c in CATEGORIES if not reads(record["allowed"], c)]
    for category in withheld:
        for name in CATEGORY_FIELDS[category]:
            shown[name] = None
    shown["withheldCategories"] = withheld
    return shown


async def get_recipients(
    ctx: RequestContext, ids: list[str], requested: list[str]
) -> dict[str, dict[str, Any]]:
    """Entitled recipients among `ids`, read and audited in one round trip."""
    if not STAFF.admits(ctx.viewer) or not ids:
        return {}
    found = await repo.read_recipients(ctx.graph, ids, ctx.access.audit("READ", requested))
    return {rid: present_recipient(record) for rid, record in found.items()}


async def list_recipients(
    ctx: RequestContext,
    filters: dict[str, Any] | None,
    first: int,
    after: str | None,
    requested: list[str],
) -> Page[dict[str, Any]]:
    request = page_request(first, after, ctx.services.limits.max_page_size)
    if not STAFF.admits(ctx.viewer):
        return Page.empty(request)
    regions = None
    if filters and filters.get("regions") is not None:
        codes = ctx.services.regions.check(list(filters["regions"]), field="filter.regions")
        regions = [d for code in codes for d in ctx.services.regions.descendants(code)]
    rows = await repo.list_recipients(
        ctx.graph,
        ctx.access.audit("LIST", requested),
        region_codes=regions,
        after=request.after,
        limit=request.limit,
    )

    async def total() -> int:
        return await repo.count_recipients(ctx.graph, ctx.access, region_codes=regions)

    return Page.from_rows([present_recipient(r) for r in rows], request, total)


def _national_id_hash(ctx: RequestContext, national_id: str) -> str:
    match = _NATIONAL_ID.match(national_id.strip())
    if not match:
        raise HanaroError.bad_input(
            "nationalId must be 13 digits (YYMMDD-NNNNNNN); it is never stored.",
            field="input.nationalId",
        )
    digits = match.group(1) + match.group(2)
    return hmac.new(ctx.services.identity_key, digits.encode(), hashlib.sha256).hexdigest()


def _check_birth_date(value: date) -> str:
    today = date.today()
    if value > today or value.year < 1900:
        raise HanaroError.bad_input(
            f"birthDate {value.isoformat()} is impossible: give a date between 1900-01-01 and "
            "today.",
            field="input.birthDate",
        )
    return value.isoformat()


def _check_household(data: dict[str, Any]) -> dict[str, Any]:
    size = data.get("householdSize")
    if size is not None and not 1 <= size <= 30:
        raise HanaroError.bad_input(
            f"householdSize must be between 1 and 30 (got {size}).", field="input.householdSize"
        )
    income = data.get("incomePercent")
    if income is not None and not 0 <= income <= 1000:
        raise HanaroError.bad_input(
            f"incomePercent must be between 0 and 1000 (got {income}).",
            field="input.incomePercent",
        )
    flags = list(dict.fromkeys(data.get("flags") or []))
    if len(flags) > MAX_FLAGS:
        raise HanaroError.bad_input(f"flags: give at most {MAX_FLAGS} flags.", field="input.flags")
    return {
        "householdSize": size,
        "householdType": data.get("householdType"),
        "incomePercent": income,
        "disability": data.get("disability") or "NONE",
        "flags": [check_text(f, field="input.flags", max_length=40, required=True) for f in flags],
    }


async def register_recipient(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    institution = demand(STAFF, ctx.viewer, action="registering a recipient")
    props = new_recipient_props(ctx, data, institution)
    id_hash = props["idHash"]
    if id_hash is not None:
        existing = await repo.find_by_id_hash(ctx.graph, id_hash)
        if existing is not None:
            raise await duplicate_error(ctx, existing)
    try:
        created = await repo.insert_recipient(
            ctx.graph,
            {k: v for k, v in props.items() if v is not None},
            ctx.access.audit("REGISTER", CATEGORIES),
        )
    except GraphConstraintError:  # the same person, committed first by a concurrent request
        created = None
    if created is None:  # registered concurrently by someone else
        existing = await repo.find_by_id_hash(ctx.graph, id_hash or "")
        raise await duplicate_error(ctx, existing or "")
    return present_recipient({**props, **created})


def new_recipient_props(
    ctx: RequestContext, data: dict[str, Any], institution: str
) -> dict[str, Any]:
    """A checked recipient record registered by `institution` (registration, intake); the
    national id becomes its keyed hash (`idHash`, None without one)."""
    region = data["regionCode"]
    ctx.services.regions.check([region], field="input.regionCode")
    id_hash = _national_id_hash(ctx, data["nationalId"]) if data.get("nationalId") else None
    now = iso_now()
    return {
        "id": new_id("rcp"),
        "name": check_text(data["name"], field="input.name", max_length=100, required=True),
        "birthDate": _check_birth_date(data["birthDate"]),
        "sex": data["sex"],
        "phone": check_phone(data.get("phone"), field="input.phone"),
        "email": check_email(data.get("email"), field="input.email"),
        "address": check_text(data.get("address"), field="input.address", max_length=300),
        "regionCode": region,
        **_check_household(data),
        "idHash": id_hash,
        "registeredBy": institution,
        "caseInstitutions": [],
        "caseLeads": [],
        "consentGrants": [],
        "referralGrants": [],
        "currentNeeds": [],
        "version": 1,
        "createdAt": now,
        "updatedAt": now,
    }


async def duplicate_error(ctx: RequestContext, existing: str) -> HanaroError:
    """Name the existing record only to a viewer entitled to it."""
    state = await repo.recipient_state(ctx.graph, existing, ctx.access)
    if state is not None:
        return HanaroError(
            ErrorCode.CONFLICT,
            f"This person is already registered as {existing}.",
            existingId=existing,
        )
    return HanaroError(
        ErrorCode.CONFLICT,
        "This person is already registered by another institution. Ask it to share the "
        "record (consent or referral) instead of registering again.",
    )


async def access_log(
    ctx: RequestContext, recipient_id: str, first: int, after: str | None
) -> Page[dict[str, Any]]:
    """Admins of the registering or a case-leading institution, and platform admins."""
    check_id("Recipient", recipient_id, field="recipientId")
    viewer = ctx.viewer
    demand(STAFF, viewer, action="reading the access log")
    request = page_request(first, after, ctx.services.limits.max_page_size)
    if not PLATFORM.admits(viewer):
        state = await repo.recipient_state(ctx.graph, recipient_id, ctx.access)
        if state is None:
            raise HanaroError.not_found("recipient", recipient_id)
        demand(ACCESS_LOG_READER, viewer, {state["registeredBy"], *(state["caseLeads"] or [])})
    rows = await repo.access_log(ctx.graph, recipient_id, after=request.after, limit=request.limit)

    async def total() -> int:
        return await repo.count_access_log(ctx.graph, recipient_id)

    return Page.from_rows([dict(r) for r in rows], request, total)
