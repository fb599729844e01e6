"""The index behind searchResources: its analysers as the query sees them, an engine that
is down (UNAVAILABLE while the rest works), an index that lags the graph (the graph
decides) and a rebuild that swaps the alias under running searches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import pytest

from tests.support.resources import register
from tests.support.search import SEARCH, ids, plain, search, settled


@pytest.fixture
async def owner(api: Any) -> str:
    return api.token("ins_owner01", "REGISTRANT")


async def test_search_down_is_unavailable_while_the_rest_works(api, owner):
    created = await register(api, owner, **plain(name="도시락"))
    services = api.runtime.services
    live = services.search
    from search.engine import make_search_client

    services.search = make_search_client("http://127.0.0.1:9")
    try:
        error = await api.error(SEARCH, {"input": {"text": "도시락"}})
        assert error["extensions"]["code"] == "UNAVAILABLE"
        assert "127.0.0.1" not in error["message"]
        data = await api.ok("query($id: ID!) { resource(id: $id) { name } }", {"id": created["id"]})
        assert data["resource"]["name"] == "도시락"
    finally:
        await services.search.close()
        services.search = live


def test_query_terms_mirror_the_analysers():
    from search.query import query_terms

    assert query_terms("도시락배달") == (["도시", "시락", "락배", "배달"], [], [])
    assert query_terms("빚 때문에") == (["때문", "문에"], ["빚"], [])
    assert query_terms("Meals for the ELDERLY, 2024") == ([], [], ["meals", "elderly", "2024"])
    assert query_terms("name:* OR (") == ([], [], ["name"])  # "or" is a stop word
    assert query_terms("!!! ***") == ([], [], [])


def test_facets_are_aggregated_only_when_the_query_selects_them():
    from search.audiences import Searcher
    from search.query import ResourceSearch, search_body

    counted = search_body(ResourceSearch(needs=["DAILY_LIVING"]), Searcher())
    assert set(counted["aggs"]) == {"needs", "kinds", "sectors", "regions"}
    assert counted["_source"] == ["kind", "needs", "providerSector", "regions"]
    needs_only = search_body(ResourceSearch(facets=frozenset({"needs"})), Searcher())
    assert set(needs_only["aggs"]) == {"needs"} and needs_only["_source"] == ["needs"]
    plain_body = search_body(ResourceSearch(needs=["DAILY_LIVING"], facets=frozenset()), Searcher())
    assert "aggs" not in plain_body and plain_body["_source"] is False


async def test_a_search_without_facets_selected_finds_the_same_hits(api, owner):
    created = await register(api, owner, **plain(name="도시락 나눔"))
    await settled(api.runtime)
    query = """query($input: ResourceSearchInput!) { searchResources(input: $input) {
      totalCount hits { resource { id } } } }"""
    data = await api.ok(query, {"input": {"text": "도시락"}}, owner)
    assert [h["resource"]["id"] for h in data["searchResources"]["hits"]] == [created["id"]]
    assert data["searchResources"]["totalCount"] == 1
    with_facets = await search(api, owner, text="도시락")
    assert ids(with_facets) == [created["id"]]
    assert with_facets["facets"]["kinds"] == [{"value": "SERVICE", "count": 1}]
    # One facet selected through a fragment: the engine is asked for that one only.
    query = """query($input: ResourceSearchInput!) { searchResources(input: $input) {
      totalCount facets { ...counts } } }
      fragment counts on SearchFacets { kinds { value count } }"""
    data = await api.ok(query, {"input": {"text": "도시락"}}, owner)
    assert data["searchResources"]["facets"] == {"kinds": [{"value": "SERVICE", "count": 1}]}


async def test_hits_are_rechecked_in_the_graph_while_the_index_lags(api, owner):
    """With the sync loop stopped, the index still holds the old settings; the graph decides."""
    hidden = await register(api, owner, **plain(name="도시락 배달", description="매일 배달"))
    narrowed = await register(
        api,
        owner,
        **plain(name="안부 확인", description="도시락 포함", needs=["SOCIAL_ISOLATION"]),
    )
    await settled(api.runtime)
    await api.runtime.sync.stop()
    set_visibility = """mutation($id: ID!, $listing: Audience, $fields: [FieldAudienceInput!]) {
      setResourceVisibility(resourceId: $id, expectedVersion: 1, listing: $listing,
                            fields: $fields) { version } }"""
    await api.ok(set_visibility, {"id": hidden["id"], "listing": "OWNER"}, owner)
    await api.ok(
        set_visibility,
        {"id": narrowed["id"], "fields": [{"field": "DESCRIPTION", "audience": "OWNER"}]},
        owner,
    )
    services = api.runtime.services
    stale = await services.search.get(index=services.search_alias, id=hidden["id"])
    assert stale["_source"]["seeListing"] == ["public"]  # the index has not seen the change
    outsider = api.token("ins_other001")
    result = await search(api, outsider, text="도시락")
    assert ids(result) == []
    assert result["totalCount"] == 0
    # The facets leave out what the re-check dropped, as the count does.
    assert result["facets"] == {"needs": [], "kinds": [], "sectors": [], "regions": []}
    assert "도시락 포함" not in str(result)
    # The owner still finds both, with the description matched, and counted in the facets.
    mine = await search(api, owner, text="도시락")
    assert sorted(ids(mine)) == sorted([hidden["id"], narrowed["id"]])
    needs = {f["code"]: f["count"] for f in mine["facets"]["needs"]}
    assert needs == {"DAILY_LIVING_MEALS": 1, "SOCIAL_ISOLATION": 1}
    assert mine["facets"]["kinds"] == [{"value": "SERVICE", "count": 2}]


async def test_reindex_swaps_the_alias_with_no_failed_search(api, owner):
    from server.sync import rebuild_from_graph

    for n in range(20):
        await register(api, owner, **plain(name=f"도시락 배달 {n}"))
    await settled(api.runtime)
    stop = asyncio.Event()
    counts: list[int] = []

    async def keep_searching() -> None:
        while not stop.is_set():
            counts.append((await search(api, None, text="도시락"))["totalCount"])

    searcher = asyncio.create_task(keep_searching())
    for _ in range(3):
        await rebuild_from_graph(api.runtime.sync)
    stop.set()
    await searcher
    assert len(counts) > 3
    assert set(counts) == {20}


async def test_a_failed_rebuild_leaves_no_half_built_index(api, owner, monkeypatch):
    """The graph fails in the middle of a rebuild: the new index is dropped, the alias still
    points at the old one, and searches go on finding what it holds."""
    from search import index as index_module
    from search.index import rebuild_index
    from search.mapping import index_body

    await register(api, owner, **plain(name="도시락 배달"))
    await settled(api.runtime)
    client, alias = api.runtime.backends.search, api.runtime.services.search_alias
    before = list((await client.indices.get_alias(name=alias)).body)
    monkeypatch.setattr(index_module, "time", SimpleNamespace(time_ns=lambda: 42))
    documents = [{"id": "res_half", "version": 1, "name": "도시락", "status": "ACTIVE"}]

    async def failing() -> AsyncIterator[list[dict[str, Any]]]:
        yield documents
        raise RuntimeError("the graph went away")

    body = index_body(api.runtime.sync.vocabulary.fingerprint)
    with pytest.raises(RuntimeError, match="went away"):
        await rebuild_index(client, alias, failing(), body)
    assert not (await client.indices.exists(index=f"{alias}-42")).body
    assert list((await client.indices.get_alias(name=alias)).body) == before
    assert (await search(api, None, text="도시락"))["totalCount"] == 1
