"""Resources: what a viewer may see of them, and the register/update/status workflows.

Every read goes through `graph.resources` (listing condition in the Cypher) and then through
`present`, which withholds the fields whose audience does not admit the viewer. Schema types
only ever receive presented records."""

from __future__ import annotations

from typing import Any

from graph import resources as repo
from resolvers.access import PROVIDER_STAFF, RESOURCE_MANAGER, RESOURCE_WRITER, demand
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.pagination import Page, page_request
from resolvers.resource_input import DEFAULT_FIELD_AUDIENCES, check_parts, check_visibility
from resolvers.stamps import iso_now, new_id
from resolvers.validation import check_id
from vocabulary.access import Audience, Viewer, audience_admits

__all__ = [
    "DEFAULT_FIELD_AUDIENCES",
    "get_resource",
    "list_resources",
    "present",
    "preview_visibility",
    "prime_providers",
    "register_resource",
    "resources_of_institution",
    "set_resource_status",
    "set_resource_visibility",
    "update_resource",
]

# Parts of a record stored beside a controlled field that share its audience: an imported
# HSDS location (name, address lines, ids) is withheld with the address.
FOLLOWERS: dict[str, tuple[str, ...]] = {"address": ("hsdsLocation",)}


def prime_providers(ctx: RequestContext, records: list[dict[str, Any]]) -> None:
    """Hand the providers read beside `records` (graph.resources) to the request's institution
    loader too: `Resource.provider` takes its record's own row, and another field of the same
    request that shows one of these institutions costs no round trip."""
    providers = {r["provider"]["id"]: r["provider"] for r in records if r.get("provider")}
    ctx.loaders.institutions_by_id.prime_many(providers)


def present(record: dict[str, Any], viewer: Viewer) -> dict[str, Any]:
    """The record as this viewer may see it: withheld fields are None and named in
    `withheldFields`; the visibility settings are kept for the owner only."""
    relation = viewer.relation_to(
        record["providerId"], record["regions"], record["visibility"]["partners"]
    )
    shown = dict(record)
    withheld = []
    for name, audience in record["visibility"]["fields"].items():
        if not audience_admits(Audience[audience], relation):
            shown[name] = None
            for follower in FOLLOWERS.get(name, ()):
                shown[follower] = None
            withheld.append(name)
    shown["withheldFields"] = withheld
    if relation is not Audience.OWNER:
        shown["visibility"] = None
    return shown


async def preview_visibility(
    ctx: RequestContext, resource_id: str, viewer_kind: str
) -> dict[str, Any] | None:
    """What a viewer of one audience kind would see of the resource, from its stored settings
    and the same `audience_admits` rule `present` applies, so a registrant's preview cannot
    drift from what viewers get. For the owner's staff only: anyone else (and an unknown id)
    gets None, so the answer says nothing about a resource the caller does not own."""
    check_id("Resource", resource_id)
    record = await ctx.loaders.resources_by_id.load(resource_id)
    if record is None or not PROVIDER_STAFF.admits(ctx.viewer, record["providerId"]):
        return None
    relation = Audience[viewer_kind]
    settings = record["visibility"]
    listed = audience_admits(Audience[settings["listing"]], relation)
    shown = [
        name
        for name, audience in settings["fields"].items()
        if listed and audience_admits(Audience[audience], relation)
    ]
    withheld = [name for name in settings["fields"] if name not in shown]
    return {"viewer": viewer_kind, "listed": listed, "shown": shown, "withheld": withheld}


async def get_resource(ctx: RequestContext, resource_id: str) -> dict[str, Any] | None:
    check_id("Resource", resource_id)
    record = await ctx.loaders.resources_by_id.load(resource_id)
    return present(record, ctx.viewer) if record else None


def _filters(ctx: RequestContext, filters: dict[str, Any]) -> dict[str, Any]:
    """Expand codes (narrower needs; regions above and below) and check ids."""
    expanded: dict[str, Any] = {}
    if filters.get("needs") is not None:
        codes = ctx.services.needs.check(filters["needs"], field="filter.needs")
        expanded["needs"] = ctx.services.needs.with_narrower(codes)
    if filters.get("regions") is not None:
        codes = ctx.services.regions.check(filters["regions"], field="filter.regions")
        expanded["regions"] = ctx.services.regions.overlapping(codes)
    if filters.get("institutions") is not None:
        expanded["providers"] = [
            check_id("Institution", i, field="filter.institutions") for i in filters["institutions"]
        ]
    for key in ("kinds", "statuses"):
        if filters.get(key) is not None:
            expanded[key] = list(filters[key])
    return expanded


async def list_resources(
    ctx: RequestContext, filters: dict[str, Any] | None, first: int, after: str | None
) -> Page[dict[str, Any]]:
    request = page_request(first, after, ctx.services.limits.max_page_size)
    expanded = _filters(ctx, filters or {})
    rows = await repo.list_resources(
        ctx.graph, ctx.access, expanded, after=request.after, limit=request.limit
    )
    prime_providers(ctx, rows)

    async def total() -> int:
        return await repo.count_resources(ctx.graph, ctx.access, expanded)

    return Page.from_rows([present(r, ctx.viewer) for r in rows], request, total)


async def resources_of_institution(
    ctx: RequestContext, institution_id: str, first: int, after: str | None
) -> Page[dict[str, Any]]:
    """`Institution.resources`: the same listing path with the institution as filter."""
    return await list_resources(ctx, {"institutions": [institution_id]}, first, after)


_CHANGING = "changing resources"


async def register_resource(
    ctx: RequestContext,
    data: dict[str, Any],
    *,
    resource_id: str | None = None,
    exchange: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Register a resource for the viewer's (or `providerId`'s) institution. Imports give a
    `resource_id` derived from the source's id and `exchange` data (the `hsds*` parts, see
    the `hsds` package); GraphQL input never reaches either."""
    viewer = ctx.viewer
    provider_id = data.get("providerId") or viewer.institution_id or ""
    if data.get("providerId"):
        check_id("Institution", provider_id, field="providerId")
    demand(RESOURCE_MANAGER, viewer, provider_id, action=_CHANGING)
    for required in ("needs", "regions"):
        if data.get(required) is None:
            raise HanaroError.bad_input(f"{required} is required.", field=required)
    now = iso_now()
    record = {
        "id": resource_id or new_id("res"),
        "providerId": provider_id,
        "status": data.get("status") or "ACTIVE",
        "version": 1,
        "createdAt": now,
        "updatedAt": now,
        "eligibility": None,
        "capacity": None,
        "contact": None,
        "address": None,
        "description": None,
        "schedule": None,
        "internalNotes": None,
        "programId": None,
        **check_parts(ctx, data),
        "visibility": check_visibility(data.get("visibility")),
        **(exchange or {}),
    }
    created = await repo.insert_resource(ctx.graph, record, ctx.access)
    ctx.services.notify_write()
    if created is None:
        # Codes were checked against the catalogues, so only the provider can be missing.
        raise HanaroError.bad_input(
            f"providerId {provider_id!r}: no such institution.", field="providerId"
        )
    prime_providers(ctx, [created])
    return present(created, viewer)


async def _explain_failed_write(
    ctx: RequestContext, resource_id: str, expected_version: int | None
) -> HanaroError:
    state = await repo.resource_state(ctx.graph, ctx.access, resource_id)
    if state is None:
        return HanaroError.not_found("resource", resource_id)
    demand(RESOURCE_MANAGER, ctx.viewer, state["providerId"], action=_CHANGING)
    return HanaroError(
        ErrorCode.CONFLICT,
        f"resource {resource_id} is at version {state['version']}, not {expected_version}: "
        "reload it and apply your change again.",
        currentVersion=state["version"],
    )


async def _written(
    ctx: RequestContext,
    updated: dict[str, Any] | None,
    resource_id: str,
    expected_version: int | None,
) -> dict[str, Any]:
    """After a guarded write: explain why nothing was written, or wake the search sync and
    present the new state."""
    if updated is None:
        raise await _explain_failed_write(ctx, resource_id, expected_version)
    ctx.services.notify_write()
    prime_providers(ctx, [updated])
    return present(updated, ctx.viewer)


async def update_resource(
    ctx: RequestContext,
    resource_id: str,
    expected_version: int,
    data: dict[str, Any],
    *,
    exchange: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Change the parts given in `data` (and, for imports, the `exchange` data)."""
    check_id("Resource", resource_id)
    demand(RESOURCE_WRITER, ctx.viewer, action=_CHANGING)
    for required in ("name", "kind", "needs", "regions"):
        if required in data and data[required] is None:
            raise HanaroError.bad_input(f"{required} cannot be cleared.", field=required)
    changes = {**check_parts(ctx, data), **(exchange or {})}
    if not changes:
        raise HanaroError.bad_input("input: give at least one field to change.", field="input")
    changes["updatedAt"] = iso_now()
    updated = await repo.update_resource(
        ctx.graph, resource_id, expected_version, changes, ctx.access
    )
    return await _written(ctx, updated, resource_id, expected_version)


async def set_resource_status(
    ctx: RequestContext, resource_id: str, status: str, expected_version: int | None
) -> dict[str, Any]:
    check_id("Resource", resource_id)
    demand(RESOURCE_WRITER, ctx.viewer, action=_CHANGING)
    updated = await repo.set_resource_status(
        ctx.graph, resource_id, status, expected_version, ctx.access
    )
    return await _written(ctx, updated, resource_id, expected_version)


async def set_resource_visibility(
    ctx: RequestContext,
    resource_id: str,
    expected_version: int,
    listing: str | None,
    fields: list[dict[str, str]] | None,
    partners: list[str] | None,
) -> dict[str, Any]:
    """Change who may see the resource and each controlled field. Settings not named keep
    their current value; `partners` replaces the allow-list when given."""
    check_id("Resource", resource_id)
    demand(RESOURCE_WRITER, ctx.viewer, action=_CHANGING)
    if partners is not None:
        partners = [check_id("Institution", p, field="partners") for p in partners]
        known = await ctx.loaders.institutions_by_id.load_many(partners)
        unknown = [p for p, row in zip(partners, known, strict=True) if row is None]
        if unknown:
            raise HanaroError.bad_input(
                f"partners: no institution with id {unknown[0]!r}.", field="partners"
            )
    current = await ctx.loaders.resources_by_id.load(resource_id)
    if current is None:
        raise HanaroError.not_found("resource", resource_id)
    demand(RESOURCE_MANAGER, ctx.viewer, current["providerId"], action=_CHANGING)
    settings = current["visibility"]
    visibility = {
        "listing": listing or settings["listing"],
        "fields": {**settings["fields"], **{f["field"]: f["audience"] for f in fields or []}},
        "partners": list(dict.fromkeys(partners)) if partners is not None else settings["partners"],
    }
    updated = await repo.set_resource_visibility(
        ctx.graph, resource_id, expected_version, visibility, ctx.access.audit("SET_VISIBILITY")
    )
    return await _written(ctx, updated, resource_id, expected_version)
