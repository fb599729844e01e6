"""The membership scan inside the service: started by an admin through the API (platform
admins anywhere, a welfare office's admin in its 시군구), followed with `membershipScan`,
refused to everyone else, and run on a schedule only when configured."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from graph.institutions import upsert_institutions
from resolvers.membership_scans import start_scheduled_scan
from server.runtime import running
from tests.support.institutions import institution
from tests.support.recipients import new_recipient

START = """mutation($region: String) { startMembershipScan(region: $region) {
  state trigger region startedBy scanned } }"""
STATUS = """{ membershipScan { state trigger region scanned recommendations finishedAt error
  scheduleMinutes } }"""


async def offices(api: Any) -> None:
    await upsert_institutions(
        api.runtime.backends.graph,
        [institution("ins_cityhall1", "5011054000", sector="PUBLIC", kind="CITY_HALL")],
        "2026-01-01T00:00:00.000Z",
    )


async def finished(api: Any, token: str) -> dict[str, Any]:
    async with asyncio.timeout(30):
        while True:
            status = (await api.ok(STATUS, None, token))["membershipScan"]
            if status["state"] != "RUNNING":
                return status
            await asyncio.sleep(0.05)


async def test_platform_admin_starts_a_scan_and_follows_it(api):
    owner = api.token("ins_owner01", "CASEWORKER")
    for birth in ("1948-05-05", "1950-01-01"):
        await new_recipient(api, owner, birthDate=birth, incomePercent=30)
    platform = api.token("ins_platform01", "PLATFORM_ADMIN")
    idle = (await api.ok(STATUS, None, platform))["membershipScan"]
    assert idle["state"] == "IDLE" and idle["scheduleMinutes"] is None
    started = (await api.ok(START, {"region": None}, platform))["startMembershipScan"]
    assert started["state"] == "RUNNING" and started["trigger"] == "API"
    assert started["startedBy"] == "staff-1@ins_platform01"
    done = await finished(api, platform)
    assert done["state"] == "FINISHED", done
    assert done["scanned"] == 2 and done["recommendations"] > 0 and done["finishedAt"]
    rows = await api.runtime.backends.graph.run("MATCH (r:Recommendation) RETURN count(r) AS n")
    assert rows[0]["n"] == done["recommendations"]
    audit = await api.runtime.backends.graph.run(
        "MATCH (a:AuditEvent) WHERE a.actor STARTS WITH 'membership-scan:' "
        "RETURN DISTINCT a.actor AS actor"
    )
    assert audit == [{"actor": "membership-scan:staff-1@ins_platform01"}]


async def test_a_welfare_office_admin_scans_only_its_own_district(api):
    await offices(api)
    city = api.token("ins_cityhall1", "ADMIN")
    centre = api.token("ins_region01", "ADMIN")  # 주민센터 in 제주시
    for token in (city, centre):
        error = await api.error(START, {"region": "50130"}, token)  # 서귀포시
        assert error["extensions"]["code"] == "FORBIDDEN"
        error = await api.error(START, {"region": None}, token)  # everywhere
        assert error["extensions"]["code"] == "FORBIDDEN"
    started = (await api.ok(START, {"region": "50110"}, city))["startMembershipScan"]
    assert started["region"] == "50110"
    assert (await finished(api, city))["state"] == "FINISHED"
    started = (await api.ok(START, {"region": "5011025000"}, centre))["startMembershipScan"]
    assert (await finished(api, centre))["region"] == "5011025000"
    error = await api.error(START, {"region": "99999"}, city)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_outsiders_and_anonymous_callers_are_refused(api):
    outsiders = [
        api.token("ins_region01", "CASEWORKER"),  # a welfare office, but not its admin
        api.token("ins_owner01", "ADMIN"),  # the admin of a private 복지관
        api.token("ins_owner01", "REGISTRANT"),
    ]
    for token in outsiders:
        for query, variables in ((START, {"region": "50110"}), (STATUS, None)):
            error = await api.error(query, variables, token)
            assert error["extensions"]["code"] == "FORBIDDEN", error
    for query, variables in ((START, {"region": "50110"}), (STATUS, None)):
        error = await api.error(query, variables)
        assert error["extensions"]["code"] == "UNAUTHENTICATED", error
    assert not api.runtime.services.membership_scans.running


async def test_one_scan_at_a_time(api):
    release = asyncio.Event()

    async def slow(progress: Any) -> dict[str, int]:
        progress(7, "rcp_x")
        await release.wait()
        return {"scanned": 7, "recommendations": 0}

    runner = api.runtime.services.membership_scans
    runner.launch(slow, trigger="SCHEDULE", region=None, started_by="schedule")
    platform = api.token("ins_platform01", "PLATFORM_ADMIN")
    error = await api.error(START, {"region": None}, platform)
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["currentStatus"] == "RUNNING"
    status = (await api.ok(STATUS, None, platform))["membershipScan"]
    assert status["state"] == "RUNNING" and status["scanned"] == 7
    assert status["trigger"] == "SCHEDULE"
    release.set()
    assert (await finished(api, platform))["state"] == "FINISHED"


async def test_the_schedule_runs_only_when_configured(backends, api):
    assert api.runtime.scan_schedule is None  # off by default (and so in tests)
    owner = api.token("ins_owner01", "CASEWORKER")
    await new_recipient(api, owner, birthDate="1948-05-05", incomePercent=30)
    await start_scheduled_scan(api.runtime.services)  # what each scheduled turn does
    status = api.runtime.services.membership_scans.status
    assert status.state == "FINISHED" and status.trigger == "SCHEDULE" and status.scanned == 1
    scheduled = replace(
        backends, settings=replace(backends.settings, membership_scan_interval_minutes=720)
    )
    async with running(scheduled, rebuild_index=False) as runtime:
        assert runtime.scan_schedule is not None and runtime.scan_schedule.running
        assert runtime.scan_schedule.interval == 720 * 60
        assert runtime.services.membership_scans.status.schedule_minutes == 720
    assert not runtime.scan_schedule.running
