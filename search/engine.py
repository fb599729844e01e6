"""The Elasticsearch client, pointed at a cluster or at the embedded osmem engine."""

from __future__ import annotations

import re
from typing import Any

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import HttpHeaders, HttpxAsyncHttpNode, TransportError
from elasticsearch import AsyncElasticsearch

__all__ = [
    "OsmemHttpNode",
    "SearchTimeout",
    "SearchUnavailable",
    "make_search_client",
    "ping_search",
]

_COMPAT_MIMETYPE = re.compile(r"application/vnd\.elasticsearch\+([a-z-]+);\s*compatible-with=\d+")


class SearchUnavailable(RuntimeError):
    """The search engine cannot be reached or refused the request."""


class SearchTimeout(SearchUnavailable):
    """A search ran past the client's request timeout (`HANARO_STATEMENT_TIMEOUT_MS`)."""


class OsmemHttpNode(HttpxAsyncHttpNode):
    """osmem rejects the `compatible-with=N` media types the 8.x/9.x client sends; this node
    rewrites them to the plain JSON types. Used for the embedded engine only."""

    async def perform_request(  # type: ignore[override]
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        **kwargs: Any,
    ) -> Any:
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value:
                    headers[name] = _COMPAT_MIMETYPE.sub(r"application/\1", value)
        return await super().perform_request(method, target, body, headers, **kwargs)


def make_search_client(
    url: str, *, embedded: bool, api_key: str | None = None, timeout: float = 10.0
) -> AsyncElasticsearch:
    """`timeout`: seconds any one search or index call may take (the statement timeout)."""
    if embedded:
        return AsyncElasticsearch(
            url, node_class=OsmemHttpNode, request_timeout=timeout, retry_on_timeout=False
        )
    return AsyncElasticsearch(
        url, api_key=api_key, node_class=HttpxAsyncHttpNode, request_timeout=timeout, max_retries=2
    )


async def ping_search(client: AsyncElasticsearch) -> None:
    try:
        await client.info()
    except (TransportConnectionError, TransportError, OSError) as exc:
        raise SearchUnavailable(str(exc)) from exc
