"""The web app works on a server in trusted-documents mode with the manifest its own build
wrote (HANARO_TRUSTED_DOCUMENTS=web/src/gql/persisted-documents.json): every page a caseworker
uses, the live inbox's subscription and GraphiQL's introspection are answered, and the server
refuses none of what the app sends."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.web.pages import Site, context, search_words, sign_in_as_demo

MANIFEST = Path(__file__).resolve().parents[2] / "web" / "src" / "gql" / "persisted-documents.json"
REFUSED = "PERSISTED_QUERY_NOT_ALLOWED"


@pytest.fixture
def settings(settings):
    if not MANIFEST.is_file():
        pytest.skip("web/src/gql/persisted-documents.json is missing: run `make web`")
    return replace(settings, trusted_documents=MANIFEST)


async def test_the_app_runs_on_its_trusted_documents(site: Site, browser: Any) -> None:
    answers: list[str] = []
    frames: list[str] = []

    async def record(route: Any) -> None:
        """Every GraphQL answer over HTTP, read before the page can navigate away from it."""
        response = await route.fetch()
        answers.append(await response.text())
        await route.fulfill(response=response)

    async with context(browser, site) as ctx:
        page = await ctx.new_page()
        await page.route("**/graphql", record)

        def on_socket(socket: Any) -> None:
            socket.on("framereceived", lambda frame: frames.append(frame))

        page.on("websocket", on_socket)
        _, _, sender, _ = site.demo_user("CASEWORKER")
        await sign_in_as_demo(page, site.institution_name(sender))
        await search_words(page, "도시락")
        await page.locator("section.results a[href^='/resources/']").first.click()
        await expect(page.locator("h1")).to_be_visible()
        for path in ("/referrals/inbox", "/referrals/sent", "/recipients"):
            await page.goto(path)
            await page.wait_for_load_state("networkidle")
        async with page.expect_response(lambda r: "__schema" in (r.request.post_data or "")):
            await page.goto("/graphiql")
    assert answers and not [a for a in answers if REFUSED in a]
    assert any('"data":{"searchResources"' in a.replace(" ", "") for a in answers)
    assert frames and not [f for f in frames if REFUSED in str(f)]
    assert any(json.loads(f).get("type") == "connection_ack" for f in frames if isinstance(f, str))
    assert site.outside == []
