"""A caseworker finds a resource by need and words, opens it and refers a recipient; staff of
the receiving institution, signed in another browser context, see the referral arrive without
reloading and accept it; the caseworker's sent list shows the new state, also live."""

from __future__ import annotations

import math
from typing import Any

from playwright.async_api import expect

from graph.needs import load_need_seed
from tests.support.search import settled
from tests.web.pages import Site, context, pages_until, sign_in_as_demo, sign_in_with_token


def _referable_resource(site: Site, sender: str) -> dict[str, Any]:
    """The public, active resource of another institution nearest the sender (search ranks
    by distance before words) with free places and a name no other demo resource has (the
    result link is found by its exact name)."""
    names = [r["name"] for r in site.data.resources]
    office = next(i for i in site.data.institutions if i["id"] == sender)
    candidates = [
        row
        for index, row in enumerate(site.data.resources)
        if index % 10 not in (3, 7)  # listing and address stay PUBLIC (demo.load)
        and row["status"] == "ACTIVE"
        and ((row.get("capacity") or {}).get("available") or 0) > 0
        and row["providerId"] != sender
        and names.count(row["name"]) == 1
    ]
    assert candidates, "the demo data set has no referable resource"
    return min(
        candidates,
        key=lambda r: math.dist(
            (r["address"]["lat"], r["address"]["lon"]), (office["lat"], office["lon"])
        ),
    )


async def _tick_need(page: Any, code: str) -> None:
    """Open the need's domain in the needs tree and tick the need (at any depth)."""
    needs = {row["code"]: row for row in load_need_seed()}
    need = domain = needs[code]
    while domain.get("parent"):
        domain = needs[domain["parent"]]
    await page.locator("summary", has_text=domain["labelKo"]).first.click()
    label = need["labelKo"] if need.get("parent") else f"{need['labelKo']} 전체"
    await page.get_by_role("checkbox", name=label, exact=True).check()


async def test_referral_from_search_to_live_acceptance(site: Site, browser: Any) -> None:
    _, _, sender, _ = site.demo_user("CASEWORKER")
    resource = _referable_resource(site, sender)
    receiver_token = site.token(resource["providerId"], "CASEWORKER", subject="receiver-1")

    async with context(browser, site) as caseworker_ctx, context(browser, site) as receiver_ctx:
        caseworker = await caseworker_ctx.new_page()
        receiver = await receiver_ctx.new_page()

        # The receiving institution watches its inbox (signed in with a pasted token).
        await sign_in_with_token(receiver, receiver_token)
        await expect(receiver.get_by_test_id("who")).to_contain_text(
            site.institution_name(resource["providerId"])
        )
        await receiver.get_by_role("link", name="의뢰 수신함").click()
        await expect(receiver.get_by_role("heading", name="의뢰 수신함")).to_be_visible()
        await expect(receiver.get_by_text("실시간으로 표시됩니다")).to_be_visible()
        await receiver.evaluate("window.__sameDocument = true")

        # The caseworker searches by need and words and opens the resource.
        await sign_in_as_demo(caseworker, site.institution_name(sender))
        await expect(caseworker).to_have_url(f"{site.base}/search")
        await caseworker.get_by_label("검색어").fill(resource["name"])
        await _tick_need(caseworker, resource["needs"][0])
        await caseworker.get_by_role("button", name="검색", exact=True).click()
        result = caseworker.get_by_role("link", name=resource["name"], exact=True)
        assert await pages_until(caseworker, result)
        await result.click()
        await expect(caseworker.get_by_role("heading", name=resource["name"])).to_be_visible()

        # Refer a recipient the 주민센터 holds, urgently (audited reason, no consent needed).
        form = caseworker.locator("section.refer")
        recipient = form.get_by_label("대상자")
        await expect(recipient.locator("option").nth(1)).to_be_attached()
        await recipient.select_option(index=1)
        await form.get_by_label("의뢰 내용").fill("독거 어르신입니다. 식사 지원 연계 부탁드립니다.")
        await form.get_by_label("긴급 의뢰 (동의 없이 보냄)").check()
        await form.get_by_label("긴급 사유").fill("보호자 부재, 당일 식사 없음")
        await form.get_by_role("button", name="의뢰 보내기").click()
        confirmation = caseworker.locator("[data-referral-id]")
        await expect(confirmation).to_contain_text("의뢰를 보냈습니다")
        referral_id = await confirmation.get_attribute("data-referral-id")
        assert referral_id and referral_id.startswith("ref_")

        # The caseworker follows it in the sent list.
        await caseworker.get_by_role("link", name="보낸 의뢰 보기").click()
        sent_card = caseworker.locator(f'li[data-referral="{referral_id}"]')
        await expect(sent_card.get_by_test_id("referral-status")).to_have_text("보냄 (응답 대기)")
        await caseworker.evaluate("window.__sameDocument = true")

        # It arrives in the receiver's inbox without a reload, and the receiver accepts it.
        card = receiver.locator(f'li[data-referral="{referral_id}"]')
        await expect(card).to_be_visible()
        await expect(card).to_contain_text(resource["name"])
        await expect(receiver.get_by_test_id("live-announcement")).to_contain_text("새 의뢰")
        await card.get_by_role("button", name="수락").click()
        await expect(card.get_by_test_id("referral-status")).to_have_text("수락됨")

        # The sender's list shows the new state, pushed over the subscription.
        await expect(sent_card.get_by_test_id("referral-status")).to_have_text("수락됨")
        assert await receiver.evaluate("window.__sameDocument === true")
        assert await caseworker.evaluate("window.__sameDocument === true")
    assert site.outside == []


async def test_a_need_below_a_sub_need_is_offered_and_found(site: Site, browser: Any) -> None:
    """장애인활동지원 sits under 신변처리 (a third level): the needs tree lists it under its
    parent, and ticking it finds the demo resources tagged with it."""
    code = "DAILY_LIVING_PERSONAL_CARE_DISABILITY"
    tagged = [r for r in site.data.resources if code in r["needs"] and r["status"] == "ACTIVE"]
    assert tagged
    _, _, sender, _ = site.demo_user("CASEWORKER")
    await settled(site.runtime, timeout=60)  # the demo, loaded into a persistent index, is synced
    async with context(browser, site) as caseworker_ctx:
        caseworker = await caseworker_ctx.new_page()
        await sign_in_as_demo(caseworker, site.institution_name(sender))
        await _tick_need(caseworker, code)
        await caseworker.get_by_role("button", name="검색", exact=True).click()
        for resource in tagged:
            link = caseworker.get_by_role("link", name=resource["name"], exact=True)
            await expect(link.first).to_be_visible()
