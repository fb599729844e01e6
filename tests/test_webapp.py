"""Serving the web app (server/webapp.py) over HTTP, without a browser: the demo staff list
exists in `hanaro demo` only, GraphiQL comes from Hanaro's own build, the app's paths fall back
to its page, and the server's own paths never do."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from demo.dataset import build_demo_dataset
from demo.users import demo_roles, demo_users
from graph.institutions import upsert_institutions
from server.app import create_app
from server.runtime import Runtime
from server.webapp import WEB_DIST

BUILT = (WEB_DIST / "index.html").exists()
needs_build = pytest.mark.skipif(not BUILT, reason="web/dist is not built: run `make web`")


@pytest.fixture
async def demo_client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(runtime, demo=True))
    async with httpx.AsyncClient(transport=transport, base_url="http://hanaro.test") as c:
        yield c


async def test_demo_staff_are_listed_by_the_demo_server_only(client, demo_client):
    assert (await client.get("/demo/staff")).status_code == 404
    response = await demo_client.get("/demo/staff")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    staff = response.json()["staff"]
    data = build_demo_dataset()
    names = {i["id"]: i["name"] for i in data.institutions}
    expected = [(label, inst, roles) for label, _, inst, roles in demo_roles(data)]
    assert [(s["label"], s["institutionId"], s["roles"]) for s in staff] == expected
    # Every demo user names its institution: the directory's name, or the platform operator's
    # own (it provides nothing, so it is not in the directory).
    users = {user.institution_id: user.institution_name for user in demo_users(data)}
    assert all(s["institutionName"] == users[s["institutionId"]] for s in staff)
    assert all(names.get(i, n) == n for i, n in users.items())


async def test_a_demo_staff_token_signs_in_as_that_staff_member(demo_client, runtime):
    data = build_demo_dataset()
    await upsert_institutions(runtime.backends.graph, data.institutions, "2026-01-01T00:00:00Z")
    staff = (await demo_client.get("/demo/staff")).json()["staff"]
    for member in staff:
        body = (
            await demo_client.post(
                "/graphql",
                json={"query": "{ viewer { subject roles institution { id } } }"},
                headers={"Authorization": f"Bearer {member['token']}"},
            )
        ).json()
        # The platform operator is no provider: not in the directory, so no institution.
        listed = member["institutionId"] in {i["id"] for i in data.institutions}
        assert body.get("data"), (member["label"], body)
        assert body["data"]["viewer"] == {
            "subject": member["subject"],
            "roles": member["roles"],
            "institution": {"id": member["institutionId"]} if listed else None,
        }


async def test_graphiql_is_served_by_hanaro_not_a_cdn(client):
    for path in ("/graphql", "/graphiql"):
        response = await client.get(path, headers={"Accept": "text/html"})
        assert response.status_code == (200 if BUILT else 503)
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page = response.text
        assert "<script" not in page or 'src="/assets/' in page
        for outside in ("unpkg", "jsdelivr", "cdn", "https://", "http://"):
            assert outside not in page, outside
    # GraphQL itself is unchanged for API clients.
    answer = await client.get("/graphql", params={"query": "{ viewer { anonymous } }"})
    assert answer.json() == {"data": {"viewer": {"anonymous": True}}}


@needs_build
async def test_the_apps_paths_fall_back_to_its_page(client):
    index = (WEB_DIST / "index.html").read_text(encoding="utf-8")
    for path in ("/", "/search", "/resources/res_0123456789ab", "/workspace/new"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.text == index
        assert response.headers["x-content-type-options"] == "nosniff"
    asset = next((WEB_DIST / "assets").glob("app-*.js"))
    response = await client.get(f"/assets/{asset.name}")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]


async def test_the_servers_own_paths_never_fall_back(client):
    for path in (
        "/hsds/no-such-thing",
        "/assets/missing.js",
        "/demo/staff",
        "/metrics/x",
        "/graphql/x",
    ):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert "<html" not in response.text
    # Nothing outside web/dist is served, however the path is spelt.
    for path in ("/../server/app.py", "/%2e%2e/server/app.py", "/..%2fpyproject.toml"):
        response = await client.get(path)
        assert "create_app" not in response.text and "[project]" not in response.text


def test_the_web_lockfile_records_no_download_addresses():
    web = WEB_DIST.parent
    assert "omit-lockfile-registry-resolved=true" in (web / ".npmrc").read_text(encoding="utf-8")
    for name in ("package.json", "package-lock.json"):
        text = (web / name).read_text(encoding="utf-8")
        assert "://" not in text, name
        assert '"resolved"' not in text and '"funding"' not in text, name
