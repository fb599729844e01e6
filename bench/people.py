"""The synthetic recipients and their history: needs assessments, enrollments in resources that
serve their needs, and for some a case (lead, participants, notes), consents and referrals in
every state, with the access fields on the recipient row that those imply."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bench.draws import pick, scaled_count, stamp
from demo.people import CASE_NOTES, GIVEN_NAMES, HOUSEHOLDS, NEED_SETS, SURNAMES
from resolvers.cases import PROGRAMMES

if TYPE_CHECKING:
    from bench.generate import Scale

__all__ = ["People", "SyntheticPeople"]

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


class SyntheticPeople:
    """The recipient half of `bench.generate.Synthetic`, which sets these attributes and makes
    the institutions and the resources that the recipients' history points at."""

    scale: Scale
    today: date
    now: datetime
    districts: list[dict[str, Any]]
    centres: dict[str, dict[str, Any]]
    institutions: list[dict[str, Any]]
    by_kind: dict[str, list[dict[str, Any]]]
    providers: dict[str, dict[str, Any]]
    serving: dict[str, list[tuple[str, str]]]

    def _rng(self, part: str, n: int) -> random.Random:
        """One generator per record (`Synthetic._rng`)."""
        raise NotImplementedError

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
        income = pick(rng, _INCOME)
        flags = (["기초수급"] if income <= 32 else ["차상위"] if income <= 50 else []) + (
            ["위기사유"] if rng.random() < 0.05 else []
        )
        registered, _ = stamp(self._days_ago(rng, 60, 900))
        birth = self.today - timedelta(days=365 * rng.randint(young, old) + rng.randint(0, 364))
        person: dict[str, Any] = {
            "id": rid, "name": rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
            "birthDate": birth.isoformat(), "sex": rng.choice(("FEMALE", "MALE")),
            "phone": f"010-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}",
            "address": f"{registrar['address'].rsplit(' ', 2)[0]} {rng.randint(1, 300)}",
            "regionCode": place["code"], "householdSize": size, "householdType": kind,
            "incomePercent": income,
            "disability": "SEVERE" if kind == "DISABLED_MEMBER"
            else pick(rng, (("NONE", 85), ("MILD", 10), ("SEVERE", 5))),
            "flags": flags, "registeredBy": registrar["id"],
            "caseInstitutions": [], "caseLeads": [], "consentGrants": [], "referralGrants": [],
            "version": 1, "createdAt": registered, "updatedAt": registered,
        }  # fmt: skip
        needs = list(NEED_SETS[household])[: rng.randint(1, 3)]
        for step in range(scaled_count(rng, _ASSESSMENTS, self.scale.assessments_per_recipient)):
            assessed, _ = stamp(self._days_ago(rng, 40 * step + 1, 40 * step + 39))
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
        for k in range(scaled_count(rng, _ENROLLMENTS, self.scale.enrollments_per_recipient)):
            found = self._serving(rng, needs)
            if found is None:
                continue
            started = self._days_ago(rng, 30, 700)
            status = pick(rng, (("ACTIVE", 65), ("COMPLETED", 30), ("TERMINATED", 5)))
            batch.enrollments.append({
                "id": f"enr_g{n:07d}{k}", "recipientId": rid, "resourceId": found[0],
                "start": started.date().isoformat(), "status": status,
                **({} if status == "ACTIVE"
                   else {"end": (started + timedelta(days=90)).date().isoformat()}),
                "recordedBy": "generator", "institutionId": registrar["id"],
                "createdAt": stamp(started)[0],
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
        status = pick(rng, _CASE_STATUS)
        opened = self._days_ago(rng, 20, 400)
        opened_at, _ = stamp(opened)
        cid = f"cas_g{n:07d}"
        case = {
            "id": cid, "recipientId": rid, "programme": programme,
            "goals": ["생활 안정", "사회적 관계 회복"][: rng.randint(1, 2)], "needCodes": needs,
            "status": status, "leadInstitutionId": lead["id"], "participants": participants,
            "carePlan": "주 1회 방문 상담, 자원 연계", "version": 2 + len(participants),
            "openedAt": opened_at, "updatedAt": opened_at,
        }  # fmt: skip
        if status == "CLOSED":
            closed, _ = stamp(opened + timedelta(days=15))
            case |= {"closedAt": closed, "version": case["version"] + 1,
                     "closeReason": "목표 달성으로 종결"}  # fmt: skip
        batch.cases.append(case)
        for k in range(rng.randint(1, 4)):
            author = rng.choice([lead["id"], *participants])
            batch.notes.append({
                "id": f"not_g{n:07d}{k}", "caseId": cid, "text": rng.choice(CASE_NOTES),
                "audience": rng.choice(("LEAD_ONLY", "PARTICIPANTS")),
                "authorInstitutionId": author, "author": "generator",
                "createdAt": stamp(opened + timedelta(days=k + 1))[0],
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
        status = pick(rng, _REFERRAL_STATUS)
        sent = self._days_ago(rng, 0, 3) if status == "SENT" else self._days_ago(rng, 12, 300)
        sent_at, sent_ms = stamp(sent)
        expires_at, expires_ms = stamp(sent + timedelta(days=7))
        shared = ["IDENTITY", "NEEDS"] + (["HISTORY"] if rng.random() < 0.3 else [])
        urgent = rng.random() < URGENT_SHARE
        ref_id = f"ref_g{n:07d}"
        consent_id = None if urgent else f"cns_g{n:07d}"
        if consent_id:
            until = self.now + timedelta(days=365)
            until_ms = stamp(until)[1]
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
        answered_at, answered_ms = stamp(answered)
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
            done_at, done_ms = stamp(answered + timedelta(days=rng.randint(5, 60)))
            outcome = pick(rng, (("SERVED", 85), ("NOT_SERVED", 15)))
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
