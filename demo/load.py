"""`load_demo` (`hanaro demo`): the Jeju demo data set through the product's bulk paths —
institutions and resources (with a spread of visibility settings), then what each loader of
this package writes."""

from __future__ import annotations

from typing import Any

from demo.applications import PLAN as APPLICATION_PLAN
from demo.applications import load_demo_applications
from demo.conferences import load_demo_conferences
from demo.dataset import DemoDataset, build_demo_dataset
from demo.intake import CRISIS_PLAN, INTAKE_PLAN, load_demo_intake
from demo.people import COUNT, load_demo_recipients
from demo.referrals import REFERRAL_PLAN, load_demo_referrals
from demo.users import tour_target
from graph.access import GraphAccess
from graph.engine import GraphEngine
from graph.institutions import upsert_institutions
from graph.migrations import migrate
from graph.resources import upsert_resources
from resolvers.resources import DEFAULT_FIELD_AUDIENCES
from resolvers.stamps import iso_now, now_ms

__all__ = ["demo_resource_record", "load_demo"]

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


def _local_offices(data: DemoDataset) -> dict[str, list[str]]:
    """읍면동 code -> its 주민센터. Each demo resource lists the offices of the 읍면동 it
    serves as partners, so their caseworkers see its free places (capacity is for PARTNERS by
    default) and caseworkers elsewhere do not: the search by capacity shows both."""
    offices: dict[str, list[str]] = {}
    for inst in data.institutions:
        if inst["kind"] == "COMMUNITY_CENTER":
            offices.setdefault(inst["regionCode"], []).append(inst["id"])
    return offices


async def load_demo(graph: GraphEngine, *, reset: bool = False) -> dict[str, int]:
    """Idempotent: loading twice leaves one copy (ids are deterministic)."""
    if reset:
        await graph.drop()
    await migrate(graph)
    data = build_demo_dataset()
    now = iso_now()
    await upsert_institutions(graph, data.institutions, now)
    offices = _local_offices(data)
    records = []
    for i, row in enumerate(data.resources):
        record = demo_resource_record(row, i, now)
        record["visibility"]["partners"] = sorted(
            {office for code in row["regions"] for office in offices.get(code, [])}
        )
        records.append(record)
    for start in range(0, len(records), BATCH):
        batch = records[start : start + BATCH]
        await upsert_resources(
            graph, batch, GraphAccess.system(actor="demo-loader", now_ms=now_ms())
        )
    people = await load_demo_recipients(graph, data)
    referrals = await load_demo_referrals(graph, data)
    intake = await load_demo_intake(graph, data)
    receiver = tour_target(
        data, next(i for i in data.institutions if i["kind"] == "COMMUNITY_CENTER")
    )
    conference = await load_demo_conferences(graph, data, receiver["id"])
    applied = await load_demo_applications(graph, data)
    return {
        "institutions": len(data.institutions),
        "resources": len(records),
        "recipients": people or COUNT,
        "referrals": referrals or len(REFERRAL_PLAN),
        "intakes and crisis reports": intake or len(INTAKE_PLAN) + len(CRISIS_PLAN),
        "care conferences": conference or 1,
        "applications": applied or len(APPLICATION_PLAN),
    }
