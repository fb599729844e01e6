"""Signing in: a wrong or foreign token gets a clear message and no access; a stored token the
API refuses signs the tab out with a message; the demo sign-in shows who and where."""

from __future__ import annotations

from typing import Any

from playwright.async_api import expect

from server.auth import issue_token
from tests.web.pages import Site, context, sign_in_as_demo, sign_in_with_token

BAD_TOKEN = "토큰이 올바르지 않거나 만료되었습니다"


async def test_a_wrong_token_gets_a_clear_sign_in_message(site: Site, browser: Any) -> None:
    _, _, home, _ = site.demo_user("CASEWORKER")
    foreign = issue_token(
        "another-hanaro-secret-0123456789abcdef",
        subject="intruder",
        institution_id=home,
        roles=["CASEWORKER"],
        ttl_seconds=600,
    )
    async with context(browser, site) as ctx:
        page = await ctx.new_page()
        for token in ("not-a-token", foreign):
            await sign_in_with_token(page, token)
            field = page.get_by_role("textbox", name="접근 토큰 (Bearer)")
            await expect(page.get_by_text(BAD_TOKEN)).to_be_visible()
            await expect(field).to_have_attribute("aria-invalid", "true")
            await expect(page.get_by_test_id("who")).to_contain_text("로그인하지 않음")
        assert await page.evaluate("sessionStorage.getItem('hanaro.token')") is None
    assert site.outside == []


async def test_a_refused_stored_token_signs_out_with_a_message(site: Site, browser: Any) -> None:
    async with context(browser, site) as ctx:
        await ctx.add_init_script("sessionStorage.setItem('hanaro.token', 'expired.or.bad')")
        page = await ctx.new_page()
        await page.goto("/")
        await expect(
            page.get_by_text("로그인이 만료되었거나 토큰이 거부되었습니다")
        ).to_be_visible()
        await expect(page.get_by_test_id("who")).to_contain_text("로그인하지 않음")
    assert site.outside == []


async def test_demo_sign_in_shows_who_and_which_institution(site: Site, browser: Any) -> None:
    _, subject, home, _ = site.demo_user("ADMIN")
    async with context(browser, site) as ctx:
        page = await ctx.new_page()
        await sign_in_as_demo(page, site.institution_name(home))
        who = page.get_by_test_id("who")
        await expect(who).to_contain_text(subject)
        await expect(who).to_contain_text("관리자")
        # English on request; the choice changes <html lang> too.
        await page.get_by_role("button", name="Switch to English").click()
        await expect(page.locator("html")).to_have_attribute("lang", "en")
        await expect(page.get_by_role("link", name="Find resources")).to_be_visible()
        await expect(who).to_contain_text("Admin")
        await page.get_by_role("button", name="Sign out").click()
        await expect(who).to_contain_text("Not signed in")
    assert site.outside == []
