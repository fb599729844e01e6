"""GraphiQL with every request outside 127.0.0.1 blocked, and each main page of the app checked
by axe-core (no serious or critical WCAG 2.1 A/AA violation) at 1280 px and at phone width,
with a screenshot of each written to tests/web/artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.web.pages import (
    Site,
    context,
    demo_staff_button,
    search_words,
    serious_violations,
    sign_in_as_demo,
)


async def test_graphiql_renders_with_the_outside_blocked(site: Site, browser: Any) -> None:
    async with context(browser, site) as ctx:
        page = await ctx.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        # A browser asking /graphql for HTML gets Hanaro's own GraphiQL build, which loads the
        # schema (introspection) before the editor can run anything.
        async with page.expect_response(
            lambda r: r.url.endswith("/graphql") and r.request.method == "POST"
        ):
            response = await page.goto("/graphql")
        assert response is not None and response.status == 200
        assert "default-src 'self'" in response.headers["content-security-policy"]
        await expect(page.locator(".graphiql-container")).to_be_visible()
        await expect(page.locator(".graphiql-query-editor")).to_contain_text("viewer")
        await page.locator(".graphiql-execute-button").click()
        await expect(page.locator(".graphiql-response")).to_contain_text('"anonymous": true')
        await expect(page.locator(".graphiql-response")).to_contain_text("일상생활유지")
        assert requests, "the page made no request at all"
        assert all(url.startswith(site.base) for url in requests), requests
        await page.goto("/graphiql")
        await expect(page.locator(".graphiql-container")).to_be_visible()
    assert site.outside == []


async def _check(page: Any, name: str, artifacts: Path, problems: dict[str, Any]) -> None:
    await page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    found = await serious_violations(page)
    if found:
        problems[name] = found


async def test_main_pages_are_accessible(site: Site, browser: Any, artifacts: Path) -> None:
    _, _, caseworker_home, _ = site.demo_user("CASEWORKER")
    _, _, registrant_home, _ = site.demo_user("REGISTRANT")
    problems: dict[str, Any] = {}
    for width, suffix in ((1280, ""), (390, "-phone")):
        async with context(browser, site, width=width, height=900) as ctx:
            page = await ctx.new_page()
            await page.goto("/signin")
            staff = demo_staff_button(page, site.institution_name(caseworker_home))
            await expect(staff).to_be_visible()
            await _check(page, f"signin{suffix}", artifacts, problems)

            await sign_in_as_demo(page, site.institution_name(caseworker_home))
            await search_words(page, "도시락 배달")
            await _check(page, f"search{suffix}", artifacts, problems)

            await page.locator("li.hit h3 a").first.click()
            await expect(page.locator("section.refer")).to_be_visible()
            await _check(page, f"resource{suffix}", artifacts, problems)

            await page.goto("/referrals/inbox")
            listed = page.locator("li.referral").or_(page.get_by_text("의뢰가 없습니다"))
            await expect(listed.first).to_be_visible()
            await _check(page, f"inbox{suffix}", artifacts, problems)

            await page.goto("/referrals/sent")
            await expect(page.locator("li.referral").first).to_be_visible()
            await _check(page, f"sent{suffix}", artifacts, problems)

            await page.goto("/recipients")
            await page.locator("a[href^='/recipients/']").first.click()
            await expect(page.get_by_text("감사 기록에 남습니다")).to_be_visible()
            await expect(page.get_by_role("heading", name="현재 욕구")).to_be_visible()
            await _check(page, f"recipient{suffix}", artifacts, problems)

            await page.get_by_role("button", name="로그아웃").click()
            await sign_in_as_demo(page, site.institution_name(registrant_home), "REGISTRANT")
            await expect(page.locator("table.table tbody tr").first).to_be_visible()
            await _check(page, f"workspace{suffix}", artifacts, problems)

            await page.locator("table.table tbody a").first.click()
            await expect(page.get_by_test_id("preview")).to_be_visible()
            await _check(page, f"editor{suffix}", artifacts, problems)

            await page.goto("/workspace/new")
            await expect(page.get_by_role("heading", name="새 자원 등록")).to_be_visible()
            await _check(page, f"register{suffix}", artifacts, problems)
            await search_in_english(page)
            await _check(page, f"search-en{suffix}", artifacts, problems)
    assert problems == {}
    assert site.outside == []


async def search_in_english(page: Any) -> None:
    """The search page in English (the language switch), signed in as the registrant."""
    await page.goto("/search")
    await page.get_by_role("button", name="Switch to English").click()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_role("heading", name="Needs-based resource search")).to_be_visible()
    await expect(page.locator("section.results")).to_have_attribute("aria-busy", "false")
    await expect(page.locator(".results h2")).to_contain_text("results")
