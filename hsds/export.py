"""The public directory as HSDS documents: every organization, fully nested with the services
an anonymous viewer may see (the public feed's view, so nothing withheld leaves), then the
taxonomies and their terms."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graph import hsds as repo
from graph.institutions import list_institutions
from hsds import mapping
from hsds.feed import ensure_hsds_ids, nested_organizations
from hsds.taxonomies import need_terms
from resolvers.context import RequestContext, Services
from vocabulary.access import Viewer

__all__ = ["export_documents"]

_BATCH = 100


async def export_documents(services: Services) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """(kind, document) pairs: organization, taxonomy, taxonomy_term."""
    graph = services.graph
    await ensure_hsds_ids(graph)
    ctx = RequestContext(services, Viewer(request_id="hsds-export"))
    after = ""
    while rows := await list_institutions(graph, {}, after=after, limit=_BATCH):
        for document in await nested_organizations(ctx, rows, full=True, full_services=True):
            yield "organization", document
        after = rows[-1]["id"]
    yield "taxonomy", mapping.NEEDS_TAXONOMY
    skip = 0
    while rows := await repo.list_taxonomies(graph, None, skip=skip, limit=_BATCH):
        for row in rows:
            yield "taxonomy", mapping.foreign_taxonomy(row)
        skip += len(rows)
    for term in need_terms(ctx, {}):
        yield "taxonomy_term", term
    vocabulary = mapping.Vocabulary(services.needs, services.regions)
    skip = 0
    while rows := await repo.list_terms(graph, {}, skip=skip, limit=_BATCH):
        ids = sorted({r["taxonomyId"] for r in rows if r["taxonomyId"]})
        vocabulary.taxonomies = await repo.taxonomies_by_ids(graph, ids) if ids else {}
        for row in rows:
            yield "taxonomy_term", mapping.foreign_term(row, vocabulary)
        skip += len(rows)
