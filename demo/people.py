"""Demo recipients (all fictional) with assessments, consents, enrollments and open and closed
cases across institutions, so the 360° view and the access rules can be tried at once. They
are written through the product's own graph statements, each of which also audits.

The first recipients are registered by the demo caseworker's 주민센터 (한림읍), so the demo
CASEWORKER token sees them; others belong to other institutions and stay invisible to it
unless a consent or a case says otherwise."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from demo.dataset import DemoDataset
from demo.files import frozen, read
from graph import assessments, cases, consents, enrollments, recipients
from graph.access import GraphAccess
from graph.engine import GraphEngine
from vocabulary.access import CATEGORIES, Viewer

__all__ = [
    "CASE_NOTES",
    "COUNT",
    "GIVEN_NAMES",
    "HOUSEHOLDS",
    "NEED_SETS",
    "SURNAMES",
    "load_demo_recipients",
]

_PEOPLE = frozen(read("people.json"))
SURNAMES: tuple[str, ...] = _PEOPLE["surnames"]
GIVEN_NAMES: tuple[str, ...] = _PEOPLE["givenNames"]
# (household type, size, (youngest, oldest) age of the person registered)
HOUSEHOLDS: tuple[tuple[str, int, tuple[int, int]], ...] = tuple(
    (row["type"], row["size"], row["ages"]) for row in _PEOPLE["households"]
)
# Needs assessed together (bench/generate.py pairs each with the household of its place).
NEED_SETS: tuple[tuple[str, ...], ...] = _PEOPLE["needSets"]
_PROGRAMMES: tuple[str, ...] = _PEOPLE["programmes"]
CASE_NOTES: tuple[str, ...] = _PEOPLE["caseNotes"]
_DISABILITY: tuple[str, ...] = _PEOPLE["disability"]
COUNT = 40
_TODAY = date(2026, 11, 1)


def _when(day: date) -> str:
    return f"{day.isoformat()}T09:00:00.000Z"


async def load_demo_recipients(graph: GraphEngine, data: DemoDataset) -> int:
    """Idempotent: nothing is written when the demo recipients exist already."""
    found = await graph.run("MATCH (p:Recipient {id: 'rcp_demo0001'}) RETURN p.id AS id")
    if found:
        return 0
    rng = random.Random(20191)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for inst in data.institutions:
        by_kind.setdefault(inst["kind"], []).append(inst)
    home = by_kind["COMMUNITY_CENTER"][0]  # the demo CASEWORKER's 주민센터 (한림읍)
    helpers = [i for i in data.institutions if i["sector"] == "PRIVATE"]
    for n in range(1, COUNT + 1):
        registrar = home if n <= 15 else rng.choice(by_kind["COMMUNITY_CENTER"])
        await _one(graph, data, rng, n, registrar, helpers)
    return COUNT


def _as(inst: dict[str, Any], day: date) -> GraphAccess:
    """The demo loader as staff of `inst`, on `day` (the time its audit events carry)."""
    viewer = Viewer(
        subject="demo-loader", institution_id=inst["id"], institution_kind=inst["kind"],
        request_id="demo",
    )  # fmt: skip
    at = datetime.fromisoformat(_when(day)).astimezone(UTC)
    return GraphAccess.of(viewer, now_ms=int(at.timestamp() * 1000))


async def _one(
    graph: GraphEngine,
    data: DemoDataset,
    rng: random.Random,
    n: int,
    registrar: dict[str, Any],
    helpers: list[dict[str, Any]],
) -> None:
    kind, size, (young, old) = rng.choice(HOUSEHOLDS)
    rid = f"rcp_demo{n:04d}"
    birth = _TODAY - timedelta(days=365 * rng.randint(young, old) + rng.randint(0, 364))
    registered = _TODAY - timedelta(days=rng.randint(200, 700))
    props = {
        "id": rid,
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
        "birthDate": birth.isoformat(),
        "sex": rng.choice(("FEMALE", "MALE")),
        "phone": f"010-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}",
        "address": f"{registrar['address'].rsplit(' ', 2)[0]} {rng.randint(1, 300)}",
        "regionCode": registrar["regionCode"],
        "householdSize": size,
        "householdType": kind,
        "incomePercent": rng.choice((25, 32, 40, 48, 60, 75)),
        "disability": "SEVERE" if kind == "DISABLED_MEMBER" else rng.choice(_DISABILITY),
        "flags": rng.sample(["기초수급", "차상위", "긴급지원", "독거"], k=rng.randint(0, 2)),
        "registeredBy": registrar["id"],
        "caseInstitutions": [], "caseLeads": [], "consentGrants": [], "referralGrants": [],
        "currentNeeds": [], "version": 1,
        "createdAt": _when(registered), "updatedAt": _when(registered),
    }  # fmt: skip
    await recipients.insert_recipient(
        graph, props, _as(registrar, registered).audit("REGISTER", CATEGORIES)
    )
    entitled = _as(registrar, _TODAY)
    needs = list(rng.choice(NEED_SETS))[: rng.randint(1, 3)]
    for step, day in enumerate((registered + timedelta(days=7), _TODAY - timedelta(days=30))):
        await assessments.insert_assessment(
            graph,
            {
                "id": f"asm_demo{n:04d}{step}", "recipientId": rid,
                "institutionId": registrar["id"], "assessedBy": "demo-loader",
                "assessedAt": _when(day), "needCodes": needs,
                "severities": [rng.randint(2, 5) for _ in needs], "notes": ["" for _ in needs],
            },
            entitled.audit("NEEDS_ASSESSED", CATEGORIES),
        )  # fmt: skip
    partner = rng.choice(helpers)
    if n % 3 == 0:
        cid = f"cns_demo{n:04d}"
        await consents.record_consent(
            graph,
            {
                "id": cid, "recipientId": rid, "scope": ["IDENTITY", "NEEDS"],
                "institutions": [partner["id"]], "institutionKinds": [],
                "validUntil": "2027-12-31T00:00:00+00:00", "status": "ACTIVE",
                "recordedBy": "demo-loader", "institutionId": registrar["id"],
                "createdAt": _when(registered), "version": 1,
            },
            [f"inst:{partner['id']}|{c}|1830211200000|{cid}" for c in ("IDENTITY", "NEEDS")],
            entitled.audit("CONSENT_RECORDED", CATEGORIES),
        )  # fmt: skip
    await _history(graph, data, rng, n, rid, registrar, entitled, needs)
    if n % 2 == 0 or n <= 5:
        await _case(graph, rng, n, rid, registrar, partner, entitled)


async def _history(
    graph: GraphEngine,
    data: DemoDataset,
    rng: random.Random,
    n: int,
    rid: str,
    registrar: dict[str, Any],
    entitled: GraphAccess,
    needs: list[str],
) -> None:
    """Enrollments in active resources that serve the recipient's area and meet a need."""
    serving = [
        r for r in data.resources
        if r["status"] == "ACTIVE" and set(r["needs"]) & set(needs)
        and any(code in ("50", registrar["regionCode"][:5], registrar["regionCode"])
                for code in r["regions"])
    ]  # fmt: skip
    for k, resource in enumerate(rng.sample(serving, k=min(len(serving), rng.randint(1, 4)))):
        start = _TODAY - timedelta(days=rng.randint(30, 400))
        ended = rng.random() < 0.3
        await enrollments.insert_enrollment(
            graph,
            {
                "id": f"enr_demo{n:04d}{k}", "recipientId": rid, "resourceId": resource["id"],
                "start": start.isoformat(), "status": "COMPLETED" if ended else "ACTIVE",
                **({"end": (start + timedelta(days=90)).isoformat()} if ended else {}),
                "recordedBy": "demo-loader", "institutionId": registrar["id"],
                "createdAt": _when(start),
            },
            entitled.audit("ENROLLMENT_RECORDED", CATEGORIES),
        )  # fmt: skip


async def _case(
    graph: GraphEngine,
    rng: random.Random,
    n: int,
    rid: str,
    lead: dict[str, Any],
    partner: dict[str, Any],
    entitled: GraphAccess,
) -> None:
    opened = _TODAY - timedelta(days=rng.randint(20, 300))
    cid = f"cas_demo{n:04d}"
    await cases.open_case(
        graph,
        {
            "id": cid, "recipientId": rid, "programme": rng.choice(_PROGRAMMES),
            "goals": ["생활 안정", "사회적 관계 회복"][: rng.randint(1, 2)], "status": "OPEN",
            "leadInstitutionId": lead["id"], "participants": [], "version": 1,
            "openedAt": _when(opened), "updatedAt": _when(opened),
        },
        entitled.audit("CASE_OPENED", CATEGORIES),
    )  # fmt: skip
    base = {"caseId": cid, "fromStatuses": ["OPEN", "ACTIVE"]}
    await cases.add_case_participant(
        graph, {**base, "expectedVersion": 1, "institutionId": partner["id"]},
        entitled.audit("CASE_PARTICIPANT_ADDED", CATEGORIES),
    )  # fmt: skip
    await cases.update_care_plan(
        graph, {**base, "expectedVersion": 2, "carePlan": "주 1회 방문 상담, 자원 연계",
                "goals": None},
        entitled.audit("CARE_PLAN_UPDATED", CATEGORIES),
    )  # fmt: skip
    for k, text in enumerate(rng.sample(CASE_NOTES, k=2)):
        await cases.add_case_note(
            graph,
            {
                **base, "props": {
                    "id": f"not_demo{n:04d}{k}", "caseId": cid, "text": text,
                    "audience": "PARTICIPANTS" if k else "LEAD_ONLY",
                    "authorInstitutionId": lead["id"], "author": "demo-loader",
                    "createdAt": _when(opened + timedelta(days=k + 1)),
                },
            },
            entitled.audit("CASE_NOTE_ADDED", CATEGORIES),
        )  # fmt: skip
    if n % 4 == 0:
        await cases.close_case(
            graph, {**base, "expectedVersion": 3, "fromStatuses": ["ACTIVE"],
                    "reason": "목표 달성으로 종결"},
            entitled.audit("CASE_CLOSED", CATEGORIES),
        )  # fmt: skip
