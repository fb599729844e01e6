"""Demo referrals in every state, written through the product's own referral statements (each
with its audit event), so the inbox, the sent list, the history and the figures can be tried
at once. Ids are deterministic (`ref_demo0001` …) and loading twice writes nothing more.

The demo CASEWORKER's 주민센터 (한림읍) sends them: consented ones to the institution each
recipient's consent names, urgent ones to the demo REGISTRANT's 종합사회복지관."""

from __future__ import annotations

from typing import Any

from demo.dataset import DemoDataset
from graph import consents, referrals
from graph.access import GraphAccess
from graph.engine import GraphEngine
from resolvers.stamps import iso_at, now_ms
from vocabulary.access import CATEGORIES, Viewer

__all__ = ["REFERRAL_PLAN", "load_demo_referrals"]

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
# (status it ends in, outcome, reason, days ago it was sent)
REFERRAL_PLAN: tuple[tuple[str, str | None, str | None, int], ...] = (
    ("SENT", None, None, 1),
    ("SENT", None, None, 2),
    ("ACCEPTED", None, None, 3),
    ("DECLINED", None, "NO_CAPACITY", 12),
    ("CANCELLED", None, "SENT_IN_ERROR", 9),
    ("EXPIRED", None, None, 20),
    ("IN_PROGRESS", None, None, 15),
    ("COMPLETED", "SERVED", "NEED_RESOLVED", 40),
    ("COMPLETED", "SERVED", None, 30),
    ("COMPLETED", "NOT_SERVED", "COULD_NOT_CONTACT", 25),
)
_STEPS = {
    "SENT": [],
    "ACCEPTED": ["ACCEPTED"],
    "DECLINED": ["DECLINED"],
    "CANCELLED": ["CANCELLED"],
    "EXPIRED": [],
    "IN_PROGRESS": ["ACCEPTED", "IN_PROGRESS"],
    "COMPLETED": ["ACCEPTED", "IN_PROGRESS", "COMPLETED"],
}
_STATEMENTS = {
    "ACCEPTED": referrals.ACCEPT_REFERRAL,
    "DECLINED": referrals.DECLINE_REFERRAL,
    "CANCELLED": referrals.CANCEL_REFERRAL,
    "IN_PROGRESS": referrals.START_REFERRAL,
    "COMPLETED": referrals.COMPLETE_REFERRAL,
}
_FROM = {"ACCEPTED": "SENT", "DECLINED": "SENT", "CANCELLED": "SENT",
         "IN_PROGRESS": "ACCEPTED", "COMPLETED": "IN_PROGRESS"}  # fmt: skip
_MESSAGES = (
    "혼자 사시는 어르신, 식사를 자주 거르십니다. 도시락 배달 연계 부탁드립니다.",
    "경제적 어려움으로 공과금 체납 중입니다. 긴급지원 상담 부탁드립니다.",
    "아동 돌봄 공백이 있어 방과후 돌봄 연계를 요청합니다.",
)


def _as(inst: dict[str, Any], at: int) -> GraphAccess:
    """The demo loader as staff of `inst` at `at`."""
    viewer = Viewer(
        subject="demo-loader", institution_id=inst["id"], institution_kind=inst["kind"],
        request_id="demo",
    )  # fmt: skip
    return GraphAccess.of(viewer, now_ms=at)


async def load_demo_referrals(graph: GraphEngine, data: DemoDataset) -> int:
    """Idempotent: nothing is written when the demo referrals exist already."""
    found = await graph.run("MATCH (f:Referral {id: 'ref_demo0001'}) RETURN f.id AS id")
    if found:
        return 0
    by_id = {i["id"]: i for i in data.institutions}
    home = next(i for i in data.institutions if i["kind"] == "COMMUNITY_CENTER")
    welfare = next(i for i in data.institutions if i["kind"] == "WELFARE_CENTER")
    # Recipients 3, 6, … 15 belong to `home` and consented to share with one institution.
    consented = []
    now = now_ms()
    ids = [f"rcp_demo{n:04d}" for n in range(3, 16, 3)]
    for row in await consents.consents_of(graph, ids, _as(home, now)):
        consent = row["props"]
        consented.append((row["recipientId"], consent["id"], by_id[consent["institutions"][0]]))
    for number, plan in enumerate(REFERRAL_PLAN, start=1):
        if number % 2 and consented:
            rid, consent_id, target = consented[number // 2 % len(consented)]
            extra: dict[str, Any] = {"consentId": consent_id}
            shared = ["IDENTITY", "NEEDS"]
        else:
            rid, target = f"rcp_demo{number:04d}", welfare
            extra = {"urgent": True, "urgentReason": "보호자 연락 두절, 긴급 개입 필요"}
            shared = ["IDENTITY"]
        await _one(graph, number, plan, rid, home, target, shared, extra, now)
    system = GraphAccess.system(actor="system", now_ms=now, request_id="demo")
    await referrals.expire_referrals(graph, system.audit("REFERRAL_EXPIRED"))
    return len(REFERRAL_PLAN)


async def _one(
    graph: GraphEngine,
    number: int,
    plan: tuple[str, str | None, str | None, int],
    rid: str,
    sender: dict[str, Any],
    target: dict[str, Any],
    shared: list[str],
    extra: dict[str, Any],
    now: int,
) -> None:
    status, outcome, reason, days_ago = plan
    sent = now - days_ago * DAY_MS
    ref_id = f"ref_demo{number:04d}"
    props = {
        "id": ref_id, "recipientId": rid, "fromInstitutionId": sender["id"],
        "toInstitutionId": target["id"], "fromRegionCode": sender["regionCode"],
        "toRegionCode": target["regionCode"], "needCodes": ["DAILY_LIVING_MEALS"],
        "message": _MESSAGES[number % len(_MESSAGES)], "sharedCategories": shared,
        "urgent": bool(extra.get("urgent")), "status": "SENT", "version": 1,
        "sentBy": "demo-loader", "createdAt": iso_at(sent), "createdAtMs": sent,
        "updatedAt": iso_at(sent), "expiresAt": iso_at(sent + 7 * DAY_MS),
        "expiresAtMs": sent + 7 * DAY_MS, "history": [f"SENT|{iso_at(sent)}|{sender['id']}||demo"],
        **extra,
    }  # fmt: skip
    keys = {
        "targetInstKey": f"inst:{target['id']}|",
        "targetKindKey": f"kind:{target['kind']}|",
        "consentSuffix": f"|{extra.get('consentId', '-')}",
    }
    operation = "REFERRAL_SENT_URGENT" if props["urgent"] else "REFERRAL_SENT"
    audit = _as(sender, sent).audit(operation, CATEGORIES, reason=extra.get("urgentReason"))
    await referrals.insert_referral(graph, props, keys, audit)
    at = sent
    for step, to_status in enumerate(_STEPS[status], start=1):
        at += (step * 5) * HOUR_MS
        actor = sender if to_status == "CANCELLED" else target
        last = to_status == status
        changes: dict[str, Any] = {"status": to_status, "reason": reason if last else None}
        if to_status in {"ACCEPTED", "DECLINED"}:
            changes.update(answeredAt=iso_at(at), answeredAtMs=at)
        if to_status == "COMPLETED":
            changes.update(completedAt=iso_at(at), completedAtMs=at, outcome=outcome)
        params = {
            "id": ref_id, "expectedVersion": step, "fromStatuses": [_FROM[to_status]],
            "changes": changes,
            "entry": f"{to_status}|{iso_at(at)}|{actor['id']}|{changes['reason'] or ''}|demo",
            "grants": [f"{target['id']}|{c}|{extra.get('consentId', 'urgent')}|{ref_id}"
                       for c in shared],
            "grantSuffix": f"|{ref_id}",
        }  # fmt: skip
        audit = _as(actor, at).audit(f"REFERRAL_{to_status}", CATEGORIES, reason=changes["reason"])
        await referrals.transition_referral(graph, _STATEMENTS[to_status], params, audit)
