"""The recipient 360° page says every read is audited — and it is: an admin of the same
institution finds the caseworker's read in `recipientAccessLog`. And the caseworker's daily
path works by keyboard alone."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import expect

from tests.web.pages import Site, context, sign_in_as_demo

ACCESS_LOG = """query($id: ID!) { recipientAccessLog(recipientId: $id, first: 50) {
  edges { node { operation actor institutionId categories } } } }"""


async def test_the_360_view_is_audited_as_it_says(site: Site, browser: Any) -> None:
    _, subject, home, _ = site.demo_user("CASEWORKER")
    async with context(browser, site) as ctx:
        page = await ctx.new_page()
        await sign_in_as_demo(page, site.institution_name(home))
        await page.get_by_role("link", name="대상자 통합 조회").click()
        person = page.locator("a[href^='/recipients/']").first
        name = await person.inner_text()
        await person.click()
        await expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        await expect(page.get_by_role("note")).to_contain_text("감사 기록에 남습니다")
        recipient_id = page.url.rsplit("/", 1)[1]

    async with httpx.AsyncClient(base_url=site.base) as http:
        token = site.token(home, "ADMIN", subject="auditor-1")
        body = (
            await http.post(
                "/graphql",
                json={"query": ACCESS_LOG, "variables": {"id": recipient_id}},
                headers={"Authorization": f"Bearer {token}"},
            )
        ).json()
    reads = [
        edge["node"]
        for edge in body["data"]["recipientAccessLog"]["edges"]
        if edge["node"]["actor"] == subject and edge["node"]["operation"] == "READ"
    ]
    assert reads, body
    assert all(read["institutionId"] == home for read in reads)
    assert {"IDENTITY", "NEEDS", "HISTORY"} <= {c for read in reads for c in read["categories"]}
    assert site.outside == []


async def _tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches `selector` (a bounded number of times)."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


async def test_sign_in_search_and_open_a_result_by_keyboard(site: Site, browser: Any) -> None:
    _, _, home, _ = site.demo_user("CASEWORKER")
    async with context(browser, site) as ctx:
        page = await ctx.new_page()
        await page.goto("/signin")
        await _tab_to(page, "button.staff")
        await page.keyboard.press("Enter")
        await expect(page.get_by_test_id("who")).to_contain_text(site.institution_name(home))
        await expect(page).to_have_url(f"{site.base}/search")
        # On a page load the skip link comes first, and leads past the menu to the content.
        await page.reload()
        await expect(page.locator(".results h2")).to_contain_text("검색 결과")
        await page.keyboard.press("Tab")
        await expect(page.get_by_role("link", name="본문 바로가기")).to_be_focused()
        await page.keyboard.press("Enter")
        await page.keyboard.press("Tab")
        await expect(page.locator("input[name=text]")).to_be_focused()
        await page.keyboard.type("도시락 배달")
        await page.keyboard.press("Enter")
        await expect(page.locator("section.results")).to_have_attribute("aria-busy", "false")
        await expect(page.locator(".results h2")).to_contain_text("검색 결과")
        await _tab_to(page, "li.hit h3 a", limit=200)
        target = await page.evaluate("document.activeElement.getAttribute('href')")
        await page.keyboard.press("Enter")
        await expect(page).to_have_url(f"{site.base}{target}")
        await expect(page.locator("section.refer")).to_be_visible()
    assert site.outside == []
