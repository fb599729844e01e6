"""`hanaro demo`: load the Jeju demo data set through the product's bulk paths, and mint one
dev token per demo role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.access import GraphAccess
from graph.engine import GraphEngine
from graph.institutions import upsert_institutions
from graph.migrations import migrate
from graph.resources import upsert_resources
from resolvers.resources import DEFAULT_FIELD_AUDIENCES
from resolvers.stamps import iso_now, now_ms
from server.auth import issue_token
from server.demo_applications import PLAN as APPLICATION_PLAN
from server.demo_applications import load_demo_applications
from server.demo_conferences import load_demo_conferences
from server.demo_data import DemoDataset, build_demo_dataset
from server.demo_intake import CRISIS_PLAN, INTAKE_PLAN, load_demo_intake
from server.demo_people import COUNT, load_demo_recipients
from server.demo_referrals import REFERRAL_PLAN, load_demo_referrals

__all__ = [
    "DemoUser",
    "demo_resource_record",
    "demo_roles",
    "demo_tokens",
    "demo_user_tokens",
    "demo_users",
    "load_demo",
]

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
    receiver = _tour_target(
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


@dataclass(frozen=True)
class DemoUser:
    """One ready-made demo user: `key` names the part it plays in the README tour."""

    key: str
    label: str
    subject: str
    institution_id: str
    institution_name: str
    roles: tuple[str, ...]


def _tour_target(data: DemoDataset, home: dict[str, Any]) -> dict[str, Any]:
    """The private institution whose active meal resource serves the sender's 읍면동 and has
    free places: where the tour's referral goes."""
    by_id = {i["id"]: i for i in data.institutions}
    for resource in data.resources:
        provider = by_id[resource["providerId"]]
        if (
            resource["status"] == "ACTIVE"
            and "DAILY_LIVING_MEALS" in resource["needs"]
            and home["regionCode"] in resource["regions"]
            and provider["sector"] == "PRIVATE"
            and (resource.get("capacity") or {}).get("available")
        ):
            return provider
    raise LookupError("the demo data set has no meal resource for the tour")


def demo_users(data: DemoDataset) -> list[DemoUser]:
    """The demo users that walk the whole loop: a caseworker who refers (주민센터), a
    caseworker who receives the referral and the registrant of its resources (복지관), an
    admin of a 시청 (regional figures, membership scans), a platform admin, and the 주민센터's
    village welfare planner (crisis reports)."""

    def first(kind: str) -> dict[str, Any]:
        return next(i for i in data.institutions if i["kind"] == kind)

    home, city = first("COMMUNITY_CENTER"), first("CITY_HALL")
    target = _tour_target(data, home)
    # The operator of the platform is not a provider, so it is not in the directory.
    platform = {"id": "ins_platform0001", "name": "한국사회보장정보원 (플랫폼 운영)"}
    cast = [
        ("sender", "caseworker who refers", "caseworker-1", home, ("CASEWORKER",)),
        ("receiver", "caseworker who receives referrals", "caseworker-2", target,
         ("CASEWORKER",)),
        ("registrant", "registrant of its resources", "registrant-1", target, ("REGISTRANT",)),
        ("regional-admin", "regional admin", "admin-1", city, ("ADMIN", "CASEWORKER")),
        ("platform-admin", "platform admin", "platform-1", platform, ("PLATFORM_ADMIN",)),
        ("planner", "village welfare planner (마을복지플래너)", "planner-1", home,
         ("VILLAGE_PLANNER",)),
    ]  # fmt: skip
    return [
        DemoUser(key, f"{what} at {inst['name']} ({', '.join(roles)})", subject, inst["id"],
                 inst["name"], roles)
        for key, what, subject, inst, roles in cast
    ]  # fmt: skip


def demo_roles(data: DemoDataset) -> list[tuple[str, str, str, list[str]]]:
    """(label, subject, institution id, roles) for one user per demo role, in tour order."""
    return [(u.label, u.subject, u.institution_id, list(u.roles)) for u in demo_users(data)]


def demo_user_tokens(secret: str, ttl_seconds: int = 7 * 86400) -> list[tuple[DemoUser, str]]:
    """Each demo user with a signed dev token for it."""
    return [
        (
            user,
            issue_token(
                secret,
                subject=user.subject,
                institution_id=user.institution_id,
                roles=list(user.roles),
                ttl_seconds=ttl_seconds,
            ),
        )
        for user in demo_users(build_demo_dataset())
    ]


def demo_tokens(secret: str, ttl_seconds: int = 7 * 86400) -> list[tuple[str, str]]:
    """(label, token) per demo user, in tour order."""
    return [(user.label, token) for user, token in demo_user_tokens(secret, ttl_seconds)]
