"""The demo users of the README tour, each placed at a demo institution: who refers, who
receives and registers, a regional admin, a platform admin and a village welfare planner. Their
dev tokens are minted by the server (`server.demo_tokens`), which holds the signing key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from demo.dataset import DemoDataset

__all__ = ["DemoUser", "demo_roles", "demo_users", "tour_target"]


@dataclass(frozen=True)
class DemoUser:
    """One ready-made demo user: `key` names the part it plays in the README tour."""

    key: str
    label: str
    subject: str
    institution_id: str
    institution_name: str
    roles: tuple[str, ...]


def tour_target(data: DemoDataset, home: dict[str, Any]) -> dict[str, Any]:
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
    target = tour_target(data, home)
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
