"""referralStats: the closed-loop figures, timed by the referral clock, and whose referrals
each viewer's figures may cover."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from graph.institutions import upsert_institutions
from tests.support.institutions import institution
from tests.support.referral_stats import STATS, figures, history, window
from tests.support.referrals import DAY_MS, Clock


async def test_counts_medians_and_completion_per_need(api, tokens):
    clock = Clock(api)
    span = window(clock)
    await history(api, tokens, clock)
    mine = await figures(api, tokens["owner"], span)
    assert mine["scope"] == "INSTITUTION" and mine["total"] == 3
    assert mine["byStatus"] == {"COMPLETED": 1, "DECLINED": 1, "SENT": 1}
    assert mine["medianHoursToAnswer"] == 3.0  # 2 h and 4 h
    assert mine["medianHoursToComplete"] == 26.0
    assert mine["completionRate"] == 0.3333
    assert mine["byNeed"] == [
        {
            "need": {"code": "DAILY_LIVING_MEALS"},
            "referrals": 2,
            "completed": 1,
            "served": 1,
            "completionRate": 0.5,
        },
        {
            "need": {"code": "SOCIAL_ISOLATION"},
            "referrals": 2,
            "completed": 0,
            "served": 0,
            "completionRate": 0.0,
        },
    ]
    # The unanswered one counts as EXPIRED once its time is up, swept or not.
    clock.advance(7 * DAY_MS)
    later = await figures(api, tokens["owner"], span)
    assert later["byStatus"] == {"COMPLETED": 1, "DECLINED": 1, "EXPIRED": 1}


async def test_each_viewer_counts_only_what_its_scope_holds(api, tokens):
    await upsert_institutions(
        api.runtime.backends.graph,
        [institution("ins_jejucity01", "50110", sector="PUBLIC", kind="CITY_HALL")],
        "2026-01-01T00:00:00.000Z",
    )
    clock = Clock(api)
    span = window(clock)
    await history(api, tokens, clock)

    async def total(token: str, **filters: Any) -> int:
        return (await figures(api, token, span, **filters))["total"]

    assert await total(tokens["partner"]) == 4
    assert await total(tokens["other"]) == 1
    assert await total(tokens["region"]) == 0  # a 주민센터 with no referrals
    assert await total(api.token("ins_region01", "ADMIN")) == 0  # nothing in its 읍면동
    city_admin = api.token("ins_jejucity01", "ADMIN")
    city = await figures(api, city_admin, span)
    assert (city["scope"], city["total"]) == ("REGION", 3)  # a party in 제주시
    assert await total(api.token("ins_jejucity01", "CASEWORKER")) == 0
    assert await total(api.token("ins_other001", "ADMIN")) == 1  # private: its own only
    platform = api.token("ins_region01", "PLATFORM_ADMIN")
    assert (await figures(api, platform, span))["scope"] == "PLATFORM"
    assert await total(platform) == 4
    assert await total(platform, institution="ins_other001") == 1
    assert await total(platform, region="50110") == 3
    # Filters narrow, never widen: an outsider naming others learns nothing.
    assert await total(tokens["region"], institution="ins_owner01") == 0
    assert await total(tokens["region"], region="50130") == 0
    assert await total(tokens["owner"], institution="ins_other001") == 0
    assert await total(tokens["owner"], region="50130") == 3


async def test_bad_windows_and_codes_name_the_field(api, tokens):
    now = datetime.now(UTC)
    earlier = (now - timedelta(days=1)).isoformat()
    for variables, field in (
        ({"from": now.isoformat(), "to": earlier}, "to"),
        ({"from": "2000-01-01T00:00:00Z", "to": now.isoformat()}, "from"),
        ({"from": earlier, "to": now.isoformat(), "region": "99999"}, "region"),
        ({"from": earlier, "to": now.isoformat(), "institution": "nope"}, "institution"),
    ):
        error = await api.error(STATS, variables, tokens["owner"])
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, variables
    anonymous = await api.error(STATS, {"from": earlier, "to": now.isoformat()})
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"
