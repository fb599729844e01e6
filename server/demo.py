"""`hanaro demo`: load the Jeju demo data set through the product's bulk paths, and mint one
dev token per demo role."""

from __future__ import annotations

from typing import Any

from graph.engine import GraphEngine
from graph.institutions import upsert_institutions
from graph.migrations import migrate
from graph.resources import upsert_resources
from resolvers.resources import DEFAULT_FIELD_AUDIENCES
from resolvers.stamps import iso_now, now_ms
from server.auth import issue_token
from server.demo_data import DemoDataset, build_demo_dataset
from server.demo_people import COUNT, load_demo_recipients
from server.demo_referrals import REFERRAL_PLAN, load_demo_referrals

__all__ = ["demo_resource_record", "demo_roles", "demo_tokens", "load_demo"]

BATCH = 200


def demo_resource_record(row: dict[str, Any], index: int, now: str) -> dict[str, Any]:
    """Demo rows with the stored defaults, and a spread of visibility settings so that the
    audiences can be tried at once."""
    fields = dict(DEFAULT_FIELD_AUDIENCES)
    listing = "PUBLIC"
    if index % 10 == 3:
        listing = "AUTHENTICATED"
    elif index % 10 == 7:
        fields["description"] = "REGION"
        fields["address"] = "AUTHENTICATED"
    capacity = dict(row["capacity"] or {}, updatedAt=now) if row.get("capacity") else None
    return {
        **row,
        "capacity": capacity,
        "version": 1,
        "createdAt": now,
        "updatedAt": now,
        "visibility": {"listing": listing, "fields": fields, "partners": []},
    }


async def load_demo(graph: GraphEngine, *, reset: bool = False) -> dict[str, int]:
    """Idempotent: loading twice leaves one copy (ids are deterministic)."""
    if reset:
        await graph.drop()
    await migrate(graph)
    data = build_demo_dataset()
    now = iso_now()
    await upsert_institutions(graph, data.institutions, now)
    records = [demo_resource_record(row, i, now) for i, row in enumerate(data.resources)]
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        await upsert_resources(graph, batch, now_ms=now_ms())
    people = await load_demo_recipients(graph, data)
    referrals = await load_demo_referrals(graph, data)
    return {
        "institutions": len(data.institutions),
        "resources": len(records),
        "recipients": people or COUNT,
        "referrals": referrals or len(REFERRAL_PLAN),
    }


def demo_roles(data: DemoDataset) -> list[tuple[str, str, str, list[str]]]:
    """(label, subject, institution id, roles) for one user per demo role."""

    def first(kind: str) -> dict[str, Any]:
        return next(i for i in data.institutions if i["kind"] == kind)

    centre = first("COMMUNITY_CENTER")
    welfare = first("WELFARE_CENTER")
    city = first("CITY_HALL")
    return [
        (f"CASEWORKER at {centre['name']}", "caseworker-1", centre["id"], ["CASEWORKER"]),
        (f"REGISTRANT at {welfare['name']}", "registrant-1", welfare["id"], ["REGISTRANT"]),
        (f"ADMIN at {city['name']}", "admin-1", city["id"], ["ADMIN", "CASEWORKER"]),
    ]


def demo_tokens(secret: str, ttl_seconds: int = 7 * 86400) -> list[tuple[str, str]]:
    return [
        (
            label,
            issue_token(
                secret,
                subject=subject,
                institution_id=institution,
                roles=roles,
                ttl_seconds=ttl_seconds,
            ),
        )
        for label, subject, institution, roles in demo_roles(build_demo_dataset())
    ]
