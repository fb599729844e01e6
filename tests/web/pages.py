"""Driving the app as a person would: a browser context that records (and refuses) every
request leaving 127.0.0.1, signing in, and the accessibility check with axe-core from
web/node_modules."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from playwright.async_api import expect

from demo.dataset import DemoDataset
from demo.users import demo_roles
from server.auth import issue_token
from server.runtime import Runtime

# Generous bounds: the machine may be a loaded 2-core box; nothing here sleeps.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL_HOSTS = {"127.0.0.1"}


@dataclass
class Site:
    """The running demo server: its address, the secret its tokens are signed with, and the
    demo data set it was loaded from."""

    base: str
    runtime: Runtime
    data: DemoDataset
    outside: list[str] = field(default_factory=list)

    def token(self, institution_id: str, *roles: str, subject: str = "web-test") -> str:
        return issue_token(
            self.runtime.secret,
            subject=subject,
            institution_id=institution_id,
            roles=list(roles) or ["CASEWORKER"],
            ttl_seconds=3600,
        )

    def demo_user(self, role: str) -> tuple[str, str, str, list[str]]:
        """(label, subject, institution id, roles) of the first demo user holding `role`."""
        return next(user for user in demo_roles(self.data) if role in user[3])

    def institution_name(self, institution_id: str) -> str:
        return next(i["name"] for i in self.data.institutions if i["id"] == institution_id)


@contextlib.asynccontextmanager
async def context(
    browser: Any, site: Site, *, width: int = 1280, height: int = 900
) -> AsyncIterator[Any]:
    """A fresh browser context (its own session storage, so its own signed-in user) in which
    any request to another host is aborted and recorded in `site.outside`."""
    ctx = await browser.new_context(
        viewport={"width": width, "height": height}, locale="ko-KR", base_url=site.base
    )
    ctx.set_default_timeout(TIMEOUT_MS)

    async def guard(route: Any) -> None:
        host = urlparse(route.request.url).hostname
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            await route.continue_()
        else:
            site.outside.append(route.request.url)
            await route.abort()

    await ctx.route("**/*", guard)

    def on_page(page: Any) -> None:
        page.on(
            "websocket",
            lambda ws: (
                None if urlparse(ws.url).hostname in LOCAL_HOSTS else site.outside.append(ws.url)
            ),
        )

    ctx.on("page", on_page)
    try:
        yield ctx
    finally:
        await ctx.close()


# How the sign-in page names a role (web/src/i18n/enums.ts).
ROLE_LABELS = {"CASEWORKER": "사례관리 담당", "REGISTRANT": "자원 등록 담당", "ADMIN": "관리자"}


def demo_staff_button(page: Any, institution_name: str, role: str = "CASEWORKER") -> Any:
    """The sign-in page's button of one demo staff member: named by institution and roles, so
    an institution with several demo users (the 주민센터's caseworker and 마을복지플래너, the
    receiving 복지관's caseworker and registrant) is told apart by the role."""
    return page.get_by_role("button", name=institution_name).filter(has_text=ROLE_LABELS[role])


async def sign_in_as_demo(page: Any, institution_name: str, role: str = "CASEWORKER") -> None:
    """The demo sign-in, as the demo staff member of `institution_name` holding `role`."""
    await page.goto("/signin")
    button = demo_staff_button(page, institution_name, role)
    await expect(button).to_have_count(1)
    await button.click()
    await expect(page.get_by_test_id("who")).to_contain_text(institution_name)


async def sign_in_with_token(page: Any, token: str) -> None:
    """The production sign-in: paste a bearer token."""
    await page.goto("/signin")
    await page.get_by_role("textbox", name="접근 토큰 (Bearer)").fill(token)
    await page.get_by_role("button", name="토큰으로 로그인").click()


async def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations of impact serious or critical on the page as it is."""
    await page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = await page.evaluate(
        """async (tags) => {
             const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
             return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
           }""",
        AXE_TAGS,
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


async def search_words(page: Any, words: str) -> None:
    """A new search by words from the search page."""
    await page.goto("/search")
    await page.get_by_label("검색어").fill(words)
    await page.get_by_role("button", name="검색", exact=True).click()
    await settled(page)


async def settled(page: Any) -> None:
    results = page.locator("section.results")
    await expect(results).to_have_attribute("aria-busy", "false")
    await expect(results.locator("h2")).to_contain_text("검색 결과")


async def pages_until(page: Any, target: Any, max_pages: int = 10) -> int:
    """Follow "다음 페이지" until `target` is on the page (needs and distance rank before words);
    the page number it is on, or 0 when it is on none of the first `max_pages`."""
    results = page.locator("section.results")
    for number in range(1, max_pages + 1):
        await settled(page)
        if await target.count():
            return number
        next_page = page.get_by_role("button", name="다음 페이지")
        if await next_page.is_disabled():
            return 0
        await next_page.click()
        await expect(results.locator('[aria-current="page"]')).to_have_text(f"{number + 1}쪽")
    return 0
