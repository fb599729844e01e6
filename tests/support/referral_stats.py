"""referralStats: a history of referrals on the moved clock, its window and its figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.referrals import Clock, act, consented_recipient, send

HOUR_MS = 3_600_000

STATS = """query($from: DateTime!, $to: DateTime!, $region: String, $institution: ID) {
  referralStats(from: $from, to: $to, region: $region, institution: $institution) {
    scope total completionRate medianHoursToAnswer medianHoursToComplete
    byStatus { status count }
    byNeed { need { code } referrals completed served completionRate } } }"""

URGENT = {"urgent": True, "urgentReason": "위기"}


async def history(api: Any, tokens: dict[str, str], clock: Clock) -> None:
    """r1 served after 26 h (answered in 2 h), r2 declined in 4 h, r3 unanswered: all from
    ins_owner01 (제주시) to ins_partner01 (서귀포시); r4 from ins_partner01 to ins_other001."""
    rid, consent = await consented_recipient(api, tokens)
    partner = tokens["partner"]
    r1 = await send(api, tokens["owner"], rid, consentId=consent)
    r2 = await send(
        api,
        tokens["owner"],
        rid,
        consentId=consent,
        needCodes=["DAILY_LIVING_MEALS", "SOCIAL_ISOLATION"],
    )
    await send(api, tokens["owner"], rid, consentId=consent, needCodes=["SOCIAL_ISOLATION"])
    r4 = await send(
        api, partner, rid, toInstitutionId="ins_other001", sharedCategories=["IDENTITY"], **URGENT
    )
    clock.advance(2 * HOUR_MS)
    r1 = (await act(api, "ACCEPT", r1, partner))["data"]["acceptReferral"]
    r1 = (await act(api, "START", r1, partner))["data"]["startReferral"]
    clock.advance(2 * HOUR_MS)
    await act(api, "DECLINE", r2, partner)
    clock.advance(2 * HOUR_MS)
    await act(api, "ACCEPT", r4, tokens["other"])
    clock.advance(20 * HOUR_MS)
    await act(api, "COMPLETE", r1, partner)


def window(clock: Clock) -> dict[str, str]:
    now = datetime.fromtimestamp(clock.now / 1000, UTC)
    return {
        "from": (now - timedelta(days=3)).isoformat(),
        "to": (now + timedelta(days=30)).isoformat(),
    }


async def figures(api: Any, token: str, span: dict[str, str], **filters: Any) -> dict[str, Any]:
    data = await api.ok(STATS, {**span, **filters}, token)
    stats = data["referralStats"]
    stats["byStatus"] = {s["status"]: s["count"] for s in stats["byStatus"] if s["count"]}
    return stats
