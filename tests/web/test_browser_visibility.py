"""A registrant hides a field and narrows a listing in the visibility editor (checking the
API's preview); a caseworker's page then shows the field as withheld and the hidden resource
nowhere. Anonymous visitors see only public data."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import expect

from tests.web.pages import Site, context, pages_until, search_words, sign_in_as_demo

UPDATE = """mutation($id: ID!, $input: UpdateResourceInput!) {
  updateResource(id: $id, expectedVersion: 1, input: $input) { version } }"""


def _own_resources(site: Site, institution: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two active resources of `institution` with the default visibility (demo.load varies
    it by position), the first with a phone number. Pages find them by id (names repeat)."""
    found = [
        row
        for index, row in enumerate(site.data.resources)
        if row["providerId"] == institution
        and index % 10 not in (3, 7)
        and row["status"] == "ACTIVE"
    ]
    shown = next(r for r in found if (r.get("contact") or {}).get("phone"))
    hidden = next(r for r in found if r is not shown)
    return shown, hidden


def _link(page: Any, resource: dict[str, Any], prefix: str = "/resources/") -> Any:
    return page.locator(f'a[href="{prefix}{resource["id"]}"]')


async def _save_visibility(page: Any, *, listing: str | None = None, **fields: str) -> None:
    editor = page.locator("section", has=page.get_by_role("heading", name="공개 범위"))
    version = await page.locator("p.meta").inner_text()
    if listing:
        await editor.get_by_label("목록 공개").select_option(listing)
    for field, audience in fields.items():
        await editor.locator(f'select[name="audience-{field}"]').select_option(audience)
    await editor.get_by_role("button", name="공개 범위 저장").click()
    await expect(page.locator("p.meta")).not_to_have_text(version)


async def test_registrant_narrows_and_the_caseworker_sees_it(site: Site, browser: Any) -> None:
    _, _, registrant_home, _ = site.demo_user("REGISTRANT")
    _, _, caseworker_home, _ = site.demo_user("CASEWORKER")
    shown, hidden = _own_resources(site, registrant_home)

    async with context(browser, site) as cw_ctx, context(browser, site) as reg_ctx:
        caseworker = await cw_ctx.new_page()
        registrant = await reg_ctx.new_page()
        await sign_in_as_demo(caseworker, site.institution_name(caseworker_home))

        # Before: the caseworker sees the contact and finds the other resource.
        await caseworker.goto(f"/resources/{shown['id']}")
        contact = caseworker.locator('dd[data-field="contact"]')
        await expect(contact).to_contain_text(shown["contact"]["phone"])
        await search_words(caseworker, hidden["name"])
        listed_on = await pages_until(caseworker, _link(caseworker, hidden))
        assert listed_on, "the resource to hide is not found before it is hidden"

        # The registrant withholds the contact from everyone outside the institution ...
        await sign_in_as_demo(registrant, site.institution_name(registrant_home), "REGISTRANT")
        await expect(registrant).to_have_url(f"{site.base}/workspace")
        await _link(registrant, shown, "/workspace/").click()
        await expect(registrant.get_by_role("heading", name=shown["name"])).to_be_visible()
        await _save_visibility(registrant, CONTACT="OWNER")
        preview = registrant.get_by_test_id("preview")
        await registrant.get_by_label("보는 사람").select_option("AUTHENTICATED")
        await expect(preview).to_contain_text("목록에서 볼 수 있습니다")
        await expect(preview.locator("div", has_text="비공개 항목")).to_contain_text("연락처")

        # ... and narrows the other resource's listing to the institution itself.
        await registrant.goto(f"/workspace/{hidden['id']}")
        await expect(registrant.get_by_role("heading", name=hidden["name"])).to_be_visible()
        await _save_visibility(registrant, listing="OWNER")
        await registrant.get_by_label("보는 사람").select_option("REGION")
        await expect(registrant.get_by_test_id("preview")).to_contain_text("없는 것과 같습니다")
        await registrant.get_by_label("보는 사람").select_option("OWNER")
        await expect(registrant.get_by_test_id("preview")).to_contain_text("목록에서 볼 수")

        # After: the contact is shown as withheld, never blank, in the detail and in search.
        await caseworker.goto(f"/resources/{shown['id']}")
        await expect(contact).to_have_text(
            "비공개 — 등록 기관이 이 정보를 귀하의 기관에 공개하지 않았습니다"
        )
        await expect(caseworker.get_by_text(shown["contact"]["phone"])).to_have_count(0)
        await search_words(caseworker, shown["name"])
        assert await pages_until(caseworker, _link(caseworker, shown))
        card = caseworker.locator("li.hit", has=_link(caseworker, shown))
        await expect(card.locator("dd", has_text="비공개").first).to_be_visible()

        # The narrowed resource is nowhere: not in search, and its page is "not found".
        # Same words, same ranking: it was on page `listed_on`; now it is on none up to there.
        await search_words(caseworker, hidden["name"])
        assert await pages_until(caseworker, _link(caseworker, hidden), listed_on + 1) == 0
        await caseworker.goto(f"/resources/{hidden['id']}")
        await expect(caseworker.get_by_text("자원을 찾을 수 없습니다")).to_be_visible()
        await expect(caseworker.get_by_role("heading", name=hidden["name"])).to_have_count(0)
    assert site.outside == []


async def test_anonymous_visitors_see_public_data_only(site: Site, browser: Any) -> None:
    rows = list(enumerate(site.data.resources))
    public = next(r for i, r in rows if i % 10 == 0 and r["status"] == "ACTIVE")
    staff_only = next(r for i, r in rows if i % 10 == 3 and r["status"] == "ACTIVE")
    async with context(browser, site) as ctx:
        page = await ctx.new_page()
        await page.goto("/search")
        await expect(page.get_by_test_id("who")).to_have_text(
            "로그인하지 않음 (공개 정보만 보입니다)"
        )
        await expect(page.locator(".results h2")).to_contain_text("검색 결과")
        # Staff menus are not offered.
        await expect(page.get_by_role("link", name="의뢰 수신함")).to_have_count(0)

        await page.goto(f"/resources/{public['id']}")
        await expect(page.get_by_role("heading", name=public["name"])).to_be_visible()
        await expect(page.locator('dd[data-field="contact"]')).to_contain_text("비공개")
        await expect(page.locator('dd[data-field="capacity"]')).to_contain_text("비공개")
        await expect(page.locator('dd[data-field="internalNotes"]')).to_contain_text("비공개")
        await expect(page.get_by_text("의뢰하려면 사례관리 담당자로 로그인하세요")).to_be_visible()

        await page.goto(f"/resources/{staff_only['id']}")
        await expect(page.get_by_text("자원을 찾을 수 없습니다")).to_be_visible()

        await page.goto("/recipients")
        await expect(page.get_by_text("권한이 있는 기관 직원만")).to_be_visible()
        await expect(page.locator("a[href^='/recipients/']")).to_have_count(0)
    assert site.outside == []


async def test_an_edit_conflict_is_explained_and_resolved(site: Site, browser: Any) -> None:
    _, _, home, roles = site.demo_user("REGISTRANT")
    resource, _ = _own_resources(site, home)
    async with context(browser, site) as ctx:
        page = await ctx.new_page()
        await sign_in_as_demo(page, site.institution_name(home), "REGISTRANT")
        await page.goto(f"/workspace/{resource['id']}")
        await expect(page.locator("p.meta")).to_have_text("버전 1")

        # A colleague saves first (through the API, with the same institution's token).
        async with httpx.AsyncClient(base_url=site.base) as http:
            body = (
                await http.post(
                    "/graphql",
                    json={
                        "query": UPDATE,
                        "variables": {
                            "id": resource["id"],
                            "input": {"schedule": "평일 09:00-18:00"},
                        },
                    },
                    headers={"Authorization": f"Bearer {site.token(home, *roles)}"},
                )
            ).json()
        assert body == {"data": {"updateResource": {"version": 2}}}

        form = page.locator("form.resource-form")
        await form.get_by_label("운영 시간").fill("주말 10:00-14:00")
        await form.get_by_role("button", name="저장").click()
        alert = form.get_by_role("alert")
        await expect(alert).to_contain_text("그동안 다른 사람이 이 자원을 바꿨습니다")
        await expect(alert).to_contain_text("지금 버전 2")
        await form.get_by_role("button", name="최신 내용 불러오기").click()
        await expect(page.locator("p.meta")).to_have_text("버전 2")
        await expect(form.get_by_label("운영 시간")).to_have_value("평일 09:00-18:00")
        await form.get_by_label("운영 시간").fill("주말 10:00-14:00")
        await form.get_by_role("button", name="저장").click()
        await expect(page.get_by_role("status")).to_contain_text("저장했습니다 (버전 3)")
        await expect(page.locator("p.meta")).to_have_text("버전 3")
    assert site.outside == []
