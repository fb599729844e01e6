"""Deterministic synthetic data at a chosen scale, loaded through the product's bulk paths.

`python -m bench.generate --scale medium` (or `--institutions/--resources/--recipients`, and
`--case-share/--referral-share/--assessments-per-recipient/--enrollments-per-recipient` for
the history) loads into the engines the `HANARO_*` settings name (the embedded ones under
`HANARO_DATA_DIR` by default) and reports the loading rate; the benchmark (`python -m
bench`) uses the same `load` on engines it starts itself.

What it makes, from one seed and one reference day (the same pair gives the same data):
- institutions: the demo set (76 real-shaped Jeju institutions, 43 주민센터) and synthetic
  private/public institutions of other kinds in random 읍면동;
- resources: copies of the 518 demo resources handed to an institution of the same kind
  elsewhere (names, text, regions and address follow the new provider), each with its own
  capacity, a little of the need mix of another resource and a spread of audiences;
- recipients: Korean names, household types with their age bands and need sets
  (`server.demo_people`), income and disability distributions, registered by the 주민센터
  of their 읍면동, each with 1–2 needs assessments, 0–3 enrollments in resources that serve
  their needs, and for some a case (lead, participants, notes), consents and referrals in
  every state. The recipient row carries the access fields its cases, consents and
  accepted referrals imply, as the product's own writes would leave them.

The search index is kept in sync by the product's outbox loop while the rest loads; `load`
waits until it has caught up and reports both the graph's rate and the overall one."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from graph.access import GraphAccess
from graph.assessments import upsert_assessments
from graph.cases import upsert_case_notes, upsert_cases
from graph.consents import upsert_consents
from graph.enrollments import upsert_enrollments
from graph.institutions import upsert_institutions
from graph.outbox import pending_count
from graph.recipients import upsert_recipients
from graph.referrals import upsert_referrals
from graph.regions import load_region_seed
from graph.resources import upsert_resources
from resolvers.cases import PROGRAMMES
from server.demo import demo_resource_record
from server.demo_data import build_demo_dataset
from server.demo_people import CASE_NOTES, GIVEN_NAMES, HOUSEHOLDS, NEED_SETS, SURNAMES
from server.runtime import Runtime
from vocabulary.access import CATEGORIES

__all__ = ["SCALES", "Loaded", "Scale", "Synthetic", "load"]


@dataclass(frozen=True)
class Scale:
    """How much to make. Cases, referrals, assessments and enrollments follow the recipients:
    the shares of recipients with a case or a referral, and the mean number of assessments and
    enrollments per recipient."""

    institutions: int
    resources: int
    recipients: int
    case_share: float = 0.08
    referral_share: float = 0.2
    assessments_per_recipient: float = 4 / 3
    enrollments_per_recipient: float = 8 / 7


SCALES = {
    "tiny": Scale(institutions=120, resources=2_000, recipients=2_000),
    "small": Scale(institutions=300, resources=20_000, recipients=20_000),
    "medium": Scale(institutions=1_000, resources=100_000, recipients=200_000),
}
BATCH = 500
SEED = 20191

# Synthetic institutions: kind -> (weight, sector, Korean label, English label).
_KINDS = {
    "WELFARE_CENTER": (22, "PRIVATE", "종합사회복지관", "Community Welfare Center"),
    "CHILD_CENTER": (26, "PRIVATE", "지역아동센터", "Community Child Center"),
    "SENIOR_WELFARE_CENTER": (12, "PRIVATE", "노인복지관", "Senior Welfare Center"),
    "DISABILITY_WELFARE_CENTER": (8, "PRIVATE", "장애인복지관", "Disability Welfare Center"),
    "SELF_SUFFICIENCY_CENTER": (5, "PRIVATE", "지역자활센터", "Self-Sufficiency Center"),
    "NGO": (17, "PRIVATE", "나눔센터", "Sharing Center"),
    "HOSPITAL": (6, "PRIVATE", "의원", "Clinic"),
    "HEALTH_CENTER": (4, "PUBLIC", "보건지소", "Health Subcenter"),
}
# Per recipient: how many assessments / enrollments (drawn uniformly from these, then scaled
# to the Scale's means), and the share of urgent referrals (the others have a consent).
_ASSESSMENTS = (1, 1, 2)
_ENROLLMENTS = (0, 0, 1, 1, 1, 2, 3)
URGENT_SHARE = 0.25
_CASE_STATUS = (("OPEN", 25), ("ACTIVE", 45), ("CLOSED", 30))
_REFERRAL_STATUS = (
    ("SENT", 15), ("ACCEPTED", 15), ("IN_PROGRESS", 15), ("COMPLETED", 30),
    ("DECLINED", 10), ("EXPIRED", 10), ("CANCELLED", 5),
)  # fmt: skip
_INCOME = ((18, 8), (25, 12), (32, 15), (40, 15), (48, 12), (60, 12), (75, 10), (90, 8), (110, 8))
_MESSAGES = (
    "도시락 배달 연계를 부탁드립니다.",
    "정기 안부 확인과 정서 지원이 필요합니다.",
    "긴급 생계비 상담을 요청드립니다.",
    "방문 간호 서비스 연계를 부탁드립니다.",
)
_GRANTING = ("ACCEPTED", "IN_PROGRESS")  # statuses whose target reads the shared categories
DAY_MS = 86_400_000


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _count(rng: random.Random, choices: tuple[int, ...], mean: float) -> int:
    """A count drawn from `choices`, scaled so that counts average `mean` (rounded up or down
    at random in proportion; at the choices' own mean no extra draw is made)."""
    scaled = rng.choice(choices) * mean * len(choices) / sum(choices)
    whole = int(scaled)
    fraction = scaled - whole
    if fraction < 1e-9 or fraction > 1 - 1e-9:
        return round(scaled)
    return whole + (rng.random() < fraction)


def _stamp(moment: datetime) -> tuple[str, int]:
    """ISO text (as the product writes it) and epoch milliseconds."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"), int(moment.timestamp() * 1000)


@dataclass
class People:
    """One batch of recipients and everything attached to them, ready for the bulk paths."""

    recipients: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    enrollments: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    referrals: list[dict[str, Any]] = field(default_factory=list)


class Synthetic:
    """The generator. Records depend only on (seed, today, scale) and their number, so any
    batch can be made again on its own."""

    def __init__(self, scale: Scale, *, seed: int = SEED, today: date | None = None) -> None:
        self.demo = build_demo_dataset()
        if scale.institutions < len(self.demo.institutions):
            raise ValueError(
                f"institutions: at least the {len(self.demo.institutions)} of the demo set "
                "(the 주민센터 that register recipients and the providers of the demo resources)"
            )
        self.scale, self.seed = scale, seed
        self.today = today or datetime.now(UTC).date()
        self.now = datetime(self.today.year, self.today.month, self.today.day, 3, tzinfo=UTC)
        regions = load_region_seed()
        self.districts = [r for r in regions if r["level"] == "EUPMYEONDONG"]
        self.names = {r["code"]: r["name"] for r in regions}
        self.institutions = self._institutions()
        kinds: dict[str, list[dict[str, Any]]] = {}
        for inst in self.institutions:
            kinds.setdefault(inst["kind"], []).append(inst)
        self.by_kind = kinds
        self.centres = {
            i["regionCode"]: i for i in self.demo.institutions if i["kind"] == "COMMUNITY_CENTER"
        }
        self.providers = {i["id"]: i for i in self.institutions}
        # need code -> [(resource id, provider id)] of ACTIVE resources, filled as they are made
        self.serving: dict[str, list[tuple[str, str]]] = {}

    def _rng(self, part: str, n: int) -> random.Random:
        """One generator per record, so that a record does not depend on batch boundaries."""
        return random.Random(f"{self.seed}:{self.today}:{part}:{n}")

    def _institutions(self) -> list[dict[str, Any]]:
        rng = self._rng("institutions", 0)
        rows = list(self.demo.institutions)
        weighted = tuple((kind, spec[0]) for kind, spec in _KINDS.items())
        for n in range(len(rows), self.scale.institutions):
            kind = _pick(rng, weighted)
            _, sector, label, label_en = _KINDS[kind]
            place = rng.choice(self.districts)
            sigungu = self.names[place["parent"]]
            lat = round(place["lat"] + rng.uniform(-0.012, 0.012), 6)
            lon = round(place["lon"] + rng.uniform(-0.015, 0.015), 6)
            rows.append({
                "id": f"ins_g{n:06d}", "name": f"{place['name']} {label} {n}",
                "nameEn": f"{place['nameEn']} {label_en} {n}", "sector": sector, "kind": kind,
                "regionCode": place["code"],
                "phone": f"064-{rng.randint(700, 799)}-{rng.randint(1000, 9999)}",
                "address": f"제주특별자치도 {sigungu} {place['name']} {rng.randint(1, 400)}",
                "lat": lat, "lon": lon,
            })  # fmt: skip
        return rows[: self.scale.institutions]

    def resource_id(self, n: int) -> str:
        """The id of resource number `n` (the demo set's own ids come first)."""
        demo = self.demo.resources
        return demo[n]["id"] if n < len(demo) else f"res_g{n:07d}"

    def resources(self, start: int, stop: int) -> list[dict[str, Any]]:
        """Resources number `start` to `stop`: the demo set first, then relocated copies."""
        rows, demo = [], self.demo.resources
        demo_providers = {i["id"]: i for i in self.demo.institutions}
        now, _ = _stamp(self.now)
        for n in range(start, stop):
            copy, i = divmod(n, len(demo))
            row = demo[i]
            if copy == 0:
                record = demo_resource_record(row, i, now)
            else:
                rng = self._rng("resource", n)
                record = self._relocated(row, demo_providers[row["providerId"]], n, rng, now)
            if record["status"] == "ACTIVE":
                for need in record["needs"]:
                    self.serving.setdefault(need, []).append((record["id"], record["providerId"]))
            rows.append(record)
        return rows

    def _relocated(
        self, row: dict[str, Any], old: dict[str, Any], n: int, rng: random.Random, now: str
    ) -> dict[str, Any]:
        provider = rng.choice(self.by_kind.get(old["kind"]) or self.institutions)
        before, after = self.names[old["regionCode"]], self.names[provider["regionCode"]]
        other = self.demo.resources[(n * 37) % len(self.demo.resources)]

        def moved(text: str | None) -> str | None:
            return text.replace(before, after) if text else text

        changed = dict(
            row, id=self.resource_id(n), providerId=provider["id"], name=moved(row["name"]),
            description=moved(row["description"]),
            regions=[provider["regionCode"] if code == old["regionCode"] else code
                     for code in row["regions"]],
        )  # fmt: skip
        address = row.get("address")
        if address and address.get("lat") is not None:
            changed["address"] = {
                "text": moved(address.get("text")),
                "lat": round(provider["lat"] + rng.uniform(-0.01, 0.01), 6),
                "lon": round(provider["lon"] + rng.uniform(-0.012, 0.012), 6),
            }
        if rng.random() < 0.3:
            changed["needs"] = list(dict.fromkeys([*row["needs"], *other["needs"][:1]]))
        capacity = row.get("capacity") or {}
        if capacity.get("total"):
            changed["capacity"] = {**capacity, "available": rng.randint(0, capacity["total"])}
        record = demo_resource_record(changed, n, now)
        visibility = record["visibility"]
        roll = rng.random()
        if roll < 0.05:
            visibility["listing"] = "REGION"
        elif roll < 0.08:
            visibility["listing"] = "PARTNERS"
        if rng.random() < 0.15:
            visibility["partners"] = [i["id"] for i in rng.sample(self.institutions, 2)]
        fields = visibility["fields"]
        fields["capacity"] = rng.choices(
            ("PARTNERS", "REGION", "AUTHENTICATED", "PUBLIC"), (5, 2, 2, 1)
        )[0]
        if rng.random() < 0.1:
            fields["eligibility"] = "REGION"
        return record

    def people(self, start: int, stop: int) -> People:
        """Recipients number `start` to `stop` with their history. Needs the resources first
        (enrollments and referrals point at resources that serve the recipient's needs)."""
        batch = People()
        for n in range(start, stop):
            self._person(self._rng("person", n), n, batch)
        return batch

    def _days_ago(self, rng: random.Random, low: int, high: int) -> datetime:
        return self.now - timedelta(days=rng.randint(low, high), minutes=rng.randint(0, 600))

    def _person(self, rng: random.Random, n: int, batch: People) -> None:
        place = rng.choice(self.districts)
        registrar = self.centres[place["code"]]
        household = rng.randrange(len(HOUSEHOLDS))
        kind, size, (young, old) = HOUSEHOLDS[household]
        rid = f"rcp_g{n:07d}"
        income = _pick(rng, _INCOME)
        flags = (["기초수급"] if income <= 32 else ["차상위"] if income <= 50 else []) + (
            ["위기사유"] if rng.random() < 0.05 else []
        )
        registered, _ = _stamp(self._days_ago(rng, 60, 900))
        birth = self.today - timedelta(days=365 * rng.randint(young, old) + rng.randint(0, 364))
        person: dict[str, Any] = {
            "id": rid, "name": rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
            "birthDate": birth.isoformat(), "sex": rng.choice(("FEMALE", "MALE")),
            "phone": f"010-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}",
            "address": f"{registrar['address'].rsplit(' ', 2)[0]} {rng.randint(1, 300)}",
            "regionCode": place["code"], "householdSize": size, "householdType": kind,
            "incomePercent": income,
            "disability": "SEVERE" if kind == "DISABLED_MEMBER"
            else _pick(rng, (("NONE", 85), ("MILD", 10), ("SEVERE", 5))),
            "flags": flags, "registeredBy": registrar["id"],
            "caseInstitutions": [], "caseLeads": [], "consentGrants": [], "referralGrants": [],
            "version": 1, "createdAt": registered, "updatedAt": registered,
        }  # fmt: skip
        needs = list(NEED_SETS[household])[: rng.randint(1, 3)]
        for step in range(_count(rng, _ASSESSMENTS, self.scale.assessments_per_recipient)):
            assessed, _ = _stamp(self._days_ago(rng, 40 * step + 1, 40 * step + 39))
            batch.assessments.append({
                "id": f"asm_g{n:07d}{step}", "recipientId": rid,
                "institutionId": registrar["id"], "assessedBy": "generator",
                "assessedAt": assessed, "needCodes": needs,
                "severities": [rng.randint(1, 5) for _ in needs], "notes": ["" for _ in needs],
            })  # fmt: skip
            if step == 0:  # the newest
                person["currentNeeds"], person["lastAssessedAt"] = needs, assessed
        self._enrollments(rng, n, rid, registrar, needs, batch)
        lead = self._case(rng, n, rid, registrar, needs, person, batch)
        if rng.random() < self.scale.referral_share:
            self._referral(rng, n, rid, lead or registrar, needs, person, batch)
        batch.recipients.append(person)

    def _serving(self, rng: random.Random, needs: list[str]) -> tuple[str, str] | None:
        choices = self.serving.get(rng.choice(needs))
        return rng.choice(choices) if choices else None

    def _enrollments(
        self, rng: random.Random, n: int, rid: str, registrar: dict[str, Any],
        needs: list[str], batch: People,
    ) -> None:  # fmt: skip
        for k in range(_count(rng, _ENROLLMENTS, self.scale.enrollments_per_recipient)):
            found = self._serving(rng, needs)
            if found is None:
                continue
            started = self._days_ago(rng, 30, 700)
            status = _pick(rng, (("ACTIVE", 65), ("COMPLETED", 30), ("TERMINATED", 5)))
            batch.enrollments.append({
                "id": f"enr_g{n:07d}{k}", "recipientId": rid, "resourceId": found[0],
                "start": started.date().isoformat(), "status": status,
                **({} if status == "ACTIVE"
                   else {"end": (started + timedelta(days=90)).date().isoformat()}),
                "recordedBy": "generator", "institutionId": registrar["id"],
                "createdAt": _stamp(started)[0],
            })  # fmt: skip

    def _case(
        self, rng: random.Random, n: int, rid: str, registrar: dict[str, Any],
        needs: list[str], person: dict[str, Any], batch: People,
    ) -> dict[str, Any] | None:  # fmt: skip
        """A case for some recipients; returns its lead while the case is not closed."""
        if rng.random() >= self.scale.case_share:
            return None
        programme = rng.choice(sorted(PROGRAMMES))
        lead = (
            registrar
            if PROGRAMMES[programme] == "PUBLIC"
            else rng.choice(self.by_kind["WELFARE_CENTER"])
        )
        others = [i for i in rng.sample(self.institutions, 3) if i["id"] != lead["id"]]
        participants = [i["id"] for i in others[: rng.randint(0, 2)]]
        status = _pick(rng, _CASE_STATUS)
        opened = self._days_ago(rng, 20, 400)
        opened_at, _ = _stamp(opened)
        cid = f"cas_g{n:07d}"
        case = {
            "id": cid, "recipientId": rid, "programme": programme,
            "goals": ["생활 안정", "사회적 관계 회복"][: rng.randint(1, 2)], "needCodes": needs,
            "status": status, "leadInstitutionId": lead["id"], "participants": participants,
            "carePlan": "주 1회 방문 상담, 자원 연계", "version": 2 + len(participants),
            "openedAt": opened_at, "updatedAt": opened_at,
        }  # fmt: skip
        if status == "CLOSED":
            closed, _ = _stamp(opened + timedelta(days=15))
            case |= {"closedAt": closed, "version": case["version"] + 1,
                     "closeReason": "목표 달성으로 종결"}  # fmt: skip
        batch.cases.append(case)
        for k in range(rng.randint(1, 4)):
            author = rng.choice([lead["id"], *participants])
            batch.notes.append({
                "id": f"not_g{n:07d}{k}", "caseId": cid, "text": rng.choice(CASE_NOTES),
                "audience": rng.choice(("LEAD_ONLY", "PARTICIPANTS")),
                "authorInstitutionId": author, "author": "generator",
                "createdAt": _stamp(opened + timedelta(days=k + 1))[0],
            })  # fmt: skip
        if status == "CLOSED":
            return None
        person["caseLeads"] = [lead["id"]]
        person["caseInstitutions"] = [lead["id"], *participants]
        return lead

    def _referral(
        self, rng: random.Random, n: int, rid: str, sender: dict[str, Any],
        needs: list[str], person: dict[str, Any], batch: People,
    ) -> None:  # fmt: skip
        found = self._serving(rng, needs)
        if found is None or found[1] == sender["id"]:
            return
        target = self.providers[found[1]]
        status = _pick(rng, _REFERRAL_STATUS)
        sent = self._days_ago(rng, 0, 3) if status == "SENT" else self._days_ago(rng, 12, 300)
        sent_at, sent_ms = _stamp(sent)
        expires_at, expires_ms = _stamp(sent + timedelta(days=7))
        shared = ["IDENTITY", "NEEDS"] + (["HISTORY"] if rng.random() < 0.3 else [])
        urgent = rng.random() < URGENT_SHARE
        ref_id = f"ref_g{n:07d}"
        consent_id = None if urgent else f"cns_g{n:07d}"
        if consent_id:
            until = self.now + timedelta(days=365)
            until_ms = _stamp(until)[1]
            batch.consents.append({
                "id": consent_id, "recipientId": rid, "scope": shared,
                "institutions": [target["id"]], "institutionKinds": [],
                "validUntil": until.isoformat(), "status": "ACTIVE", "recordedBy": "generator",
                "institutionId": sender["id"], "createdAt": sent_at, "version": 1,
            })  # fmt: skip
            person["consentGrants"] += [
                f"inst:{target['id']}|{c}|{until_ms}|{consent_id}" for c in shared
            ]
        history = [f"SENT|{sent_at}|{sender['id']}||generator"]
        referral: dict[str, Any] = {
            "id": ref_id, "recipientId": rid, "fromInstitutionId": sender["id"],
            "toInstitutionId": target["id"], "fromRegionCode": sender["regionCode"],
            "toRegionCode": target["regionCode"],
            "resourceId": found[0] if rng.random() < 0.7 else None,
            "needCodes": needs[:2], "message": rng.choice(_MESSAGES), "sharedCategories": shared,
            "urgent": urgent, "urgentReason": "결식 위험" if urgent else None,
            "consentId": consent_id, "status": status, "sentBy": "generator",
            "createdAt": sent_at, "createdAtMs": sent_ms, "expiresAt": expires_at,
            "expiresAtMs": expires_ms,
        }  # fmt: skip
        answered = sent + timedelta(days=rng.randint(0, 5), hours=rng.randint(1, 20))
        answered_at, answered_ms = _stamp(answered)
        steps = {
            "ACCEPTED": ["ACCEPTED"], "IN_PROGRESS": ["ACCEPTED", "IN_PROGRESS"],
            "COMPLETED": ["ACCEPTED", "IN_PROGRESS", "COMPLETED"], "DECLINED": ["DECLINED"],
            "CANCELLED": ["CANCELLED"], "EXPIRED": ["EXPIRED"], "SENT": [],
        }[status]  # fmt: skip
        reason = {"DECLINED": "NO_CAPACITY", "CANCELLED": "NEED_RESOLVED",
                  "EXPIRED": "NO_ANSWER"}.get(status)  # fmt: skip
        if steps and status not in ("CANCELLED", "EXPIRED"):
            referral |= {"answeredAt": answered_at, "answeredAtMs": answered_ms}
        if "IN_PROGRESS" in steps:
            referral["startedAt"] = answered_at
        done_at = answered_at
        if status == "COMPLETED":
            done_at, done_ms = _stamp(answered + timedelta(days=rng.randint(5, 60)))
            outcome = _pick(rng, (("SERVED", 85), ("NOT_SERVED", 15)))
            referral |= {"completedAt": done_at, "completedAtMs": done_ms, "outcome": outcome}
            reason = "COULD_NOT_CONTACT" if outcome == "NOT_SERVED" else None
        for step in steps:
            actor = sender["id"] if step == "CANCELLED" else target["id"]
            when = {"EXPIRED": expires_at, "COMPLETED": done_at}.get(step, answered_at)
            history.append(
                f"{step}|{when}|{'' if step == 'EXPIRED' else actor}|"
                f"{reason or ''}|{'system' if step == 'EXPIRED' else 'generator'}"
            )
        last = {"SENT": sent_at, "EXPIRED": expires_at, "COMPLETED": done_at}.get(
            status, answered_at
        )
        referral |= {"history": history, "version": 1 + len(steps), "updatedAt": last,
                     "reason": reason}  # fmt: skip
        batch.referrals.append({k: v for k, v in referral.items() if v is not None})
        if status in _GRANTING:
            person["referralGrants"] += [
                f"{target['id']}|{c}|{consent_id or 'urgent'}|{ref_id}" for c in shared
            ]


@dataclass
class Loaded:
    """What `load` wrote and how fast."""

    nodes: dict[str, int] = field(default_factory=dict)
    graph_seconds: float = 0.0
    wall_seconds: float = 0.0
    index_wait_seconds: float = 0.0

    def report(self) -> dict[str, Any]:
        total = sum(self.nodes.values())
        return {
            "nodes": dict(self.nodes),
            "nodes_total": total,
            "graph_nodes_per_s": total / self.graph_seconds if self.graph_seconds else 0.0,
            "load_seconds": self.wall_seconds,
            "index_wait_after_load_s": self.index_wait_seconds,
            "nodes_per_s_with_index": total / self.wall_seconds if self.wall_seconds else 0.0,
        }


def _batches(total: int, size: int = BATCH) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(total, start + size)


@contextlib.contextmanager
def _timed(loaded: Loaded) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        loaded.graph_seconds += time.perf_counter() - started


async def _index_caught_up(
    runtime: Runtime, progress: Callable[[str], None], every: float, stall: float = 120.0
) -> None:
    """Until no resource is pending in the outbox; raises when that count has not shrunk for
    `stall` seconds."""
    best, since, last = (
        await pending_count(runtime.backends.graph),
        time.perf_counter(),
        time.perf_counter(),
    )
    while (pending := await pending_count(runtime.backends.graph)) > 0:
        now = time.perf_counter()
        if pending < best:
            best, since = pending, now
        elif now - since > stall:
            error = runtime.sync.metrics.last_error
            raise RuntimeError(f"search sync stalled at {pending:,} pending events: {error}")
        if now - last >= every:
            last = now
            progress(f"  search index catching up: {pending:,} resources to go")
        runtime.sync.poke()
        await asyncio.sleep(0.2)


async def load(
    runtime: Runtime,
    synthetic: Synthetic,
    progress: Callable[[str], None],
    *,
    every: float = 15.0,
) -> Loaded:
    """Institutions, resources, then recipients with their history, in batches through the
    bulk paths while the sync loop indexes the resources; then a wait until it is done."""
    graph, scale, loaded = runtime.backends.graph, synthetic.scale, Loaded()
    started = last = time.perf_counter()
    now, now_ms = _stamp(synthetic.now)

    def count(label: str, n: int) -> None:
        loaded.nodes[label] = loaded.nodes.get(label, 0) + n

    def report(what: str, done: int, total: int) -> None:
        nonlocal last
        if time.perf_counter() - last >= every or done == total:
            last = time.perf_counter()
            rate = sum(loaded.nodes.values()) / max(loaded.graph_seconds, 1e-9)
            progress(f"  {what}: {done:,}/{total:,} ({rate:,.0f} nodes/s into the graph)")

    with _timed(loaded):
        count("Institution", await upsert_institutions(graph, synthetic.institutions, now))
    for start, stop in _batches(scale.resources):
        records = synthetic.resources(start, stop)
        with _timed(loaded):
            loader = GraphAccess.system(actor="generator", now_ms=now_ms)
            count("Resource", await upsert_resources(graph, records, loader))
        runtime.sync.poke()
        report("resources", stop, scale.resources)
    for start, stop in _batches(scale.recipients):
        batch = synthetic.people(start, stop)
        with _timed(loaded):
            # Fixed audit ids: loading a batch twice leaves one audit event per recipient.
            loader = GraphAccess.system(
                actor="generator", now_ms=now_ms, audit_prefix=f"aud_g{start:07d}"
            )
            audited = loader.audit("BULK_LOAD", CATEGORIES)
            count("Recipient", await upsert_recipients(graph, batch.recipients, audited))
            count("Consent", await upsert_consents(graph, batch.consents, loader))
            count("Assessment", await upsert_assessments(graph, batch.assessments, loader))
            count("Enrollment", await upsert_enrollments(graph, batch.enrollments, loader))
            count("Case", await upsert_cases(graph, batch.cases, loader))
            count("CaseNote", await upsert_case_notes(graph, batch.notes, loader))
            count("Referral", await upsert_referrals(graph, batch.referrals, loader))
        report("recipients", stop, scale.recipients)  # fmt: skip
    graph_done = time.perf_counter()
    await _index_caught_up(runtime, progress, every)
    loaded.index_wait_seconds = time.perf_counter() - graph_done
    loaded.wall_seconds = time.perf_counter() - started
    return loaded


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--institutions", type=int, help="override the scale's count")
    parser.add_argument("--resources", type=int, help="override the scale's count")
    parser.add_argument("--recipients", type=int, help="override the scale's count")
    parser.add_argument(
        "--case-share", type=float, help="share of recipients with a case (default 0.08)"
    )
    parser.add_argument(
        "--referral-share", type=float, help="share of recipients referred (default 0.2)"
    )
    parser.add_argument(
        "--assessments-per-recipient", type=float, help="mean needs assessments (default 1.33)"
    )
    parser.add_argument(
        "--enrollments-per-recipient", type=float, help="mean enrollments (default 1.14)"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None,
        help="reference day for dates (YYYY-MM-DD); default: today",
    )  # fmt: skip
    return parser.parse_args()


async def _main(args: argparse.Namespace) -> None:
    from server.engines import open_backends
    from server.runtime import running
    from server.settings import Settings

    base = SCALES[args.scale]
    names = ("institutions", "resources", "recipients", "case_share", "referral_share",
             "assessments_per_recipient", "enrollments_per_recipient")  # fmt: skip
    scale = replace(base, **{k: getattr(args, k) for k in names if getattr(args, k) is not None})
    if min(getattr(scale, k) for k in names) < 0:
        sys.exit("counts, shares and means must not be negative")
    if max(scale.case_share, scale.referral_share) > 1:
        sys.exit("--case-share and --referral-share are shares: between 0 and 1")
    try:
        synthetic = Synthetic(scale, seed=args.seed, today=args.today)
    except ValueError as exc:
        sys.exit(str(exc))
    backends = await open_backends(Settings.from_env())
    try:
        async with running(backends) as runtime:
            print(f"generating {scale} (seed {args.seed}, day {synthetic.today})", flush=True)
            loaded = await load(runtime, synthetic, lambda line: print(line, flush=True))
            for key, value in loaded.report().items():
                print(f"{key:28} {value:,.1f}" if isinstance(value, float) else f"{key:28} {value}")
    finally:
        await backends.close()


if __name__ == "__main__":
    asyncio.run(_main(_parse()))
