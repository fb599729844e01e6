"""The Elasticsearch client, pointed at Elasticsearch, at OpenSearch (a cluster, the local
engine) or at the embedded osmem engine.

The official client is the production client for both server lines. OpenSearch answers the
8.x/9.x client's `compatible-with=N` media types with 406 and does not send the
`X-Elastic-Product` header the client checks on every response, so for OpenSearch (and osmem,
its emulator) a node class speaks plain JSON and supplies the header; Elasticsearch gets the
stock node."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import httpx
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import (
    ConnectionTimeout,
    HttpHeaders,
    HttpxAsyncHttpNode,
    ObjectApiResponse,
    TransportError,
)
from elasticsearch import ApiError, AsyncElasticsearch, OrjsonSerializer

from telemetry.calls import NO_OBSERVER, CallObserver

__all__ = [
    "Distribution",
    "ObservedSearchClient",
    "OpenSearchHttpNode",
    "SearchTimeout",
    "SearchUnavailable",
    "describe_search",
    "detect_distribution",
    "make_search_client",
    "ping_search",
    "run_search",
]

Distribution = Literal["elasticsearch", "opensearch"]

_COMPAT_MIMETYPE = re.compile(r"application/vnd\.elasticsearch\+([a-z-]+);\s*compatible-with=\d+")


class SearchUnavailable(RuntimeError):
    """The search engine cannot be reached or refused the request."""


class SearchTimeout(SearchUnavailable):
    """A search ran past the client's request timeout (`HANARO_STATEMENT_TIMEOUT_MS`)."""


class OpenSearchHttpNode(HttpxAsyncHttpNode):
    """Rewrites the `compatible-with=N` media types to the plain JSON types and marks each
    response as the product the client expects. Used for OpenSearch and osmem only."""

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
        response = await super().perform_request(method, target, body, headers, **kwargs)
        response.meta.headers.setdefault("x-elastic-product", "Elasticsearch")
        return response


class ObservedSearchClient(AsyncElasticsearch):
    """The client whose every API call runs under the runtime's observer, named by the
    client's own endpoint id (`search`, `bulk`, `indices.create`): never by its body or path.
    `options()` copies (the bulk helper makes one) keep the observer."""

    observer: CallObserver = NO_OBSERVER

    async def perform_request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        body: Any | None = None,
        endpoint_id: str | None = None,
        path_parts: Mapping[str, Any] | None = None,
    ) -> ObjectApiResponse[Any]:
        name = endpoint_id or method.lower()
        with self.observer.observe("search", name, failure=_engine_failure):
            return await super().perform_request(  # type: ignore[return-value]
                method,
                path,
                params=params,
                headers=headers,
                body=body,
                endpoint_id=endpoint_id,
                path_parts=path_parts,
            )

    def options(self, **kwargs: Any) -> ObservedSearchClient:
        client = super().options(**kwargs)
        client.observer = self.observer
        return client


def _engine_failure(exc: Exception) -> bool:
    """Unreachable, timed out, overloaded or broken: not a 4xx answer (an index not there)."""
    return not isinstance(exc, ApiError) or exc.meta.status >= 500 or exc.meta.status == 429


def make_search_client(
    url: str,
    *,
    distribution: Distribution = "opensearch",
    api_key: str | None = None,
    timeout: float = 10.0,
) -> ObservedSearchClient:
    """`timeout`: seconds any one search or index call may take (the statement timeout).
    Bodies go through orjson: the standard library's encoder was a sixth of the Python time of
    a rebuild (docs/benchmarks.md), and every search response is decoded too."""
    node_class = OpenSearchHttpNode if distribution == "opensearch" else HttpxAsyncHttpNode
    return ObservedSearchClient(
        url,
        serializer=OrjsonSerializer(),
        api_key=api_key,
        node_class=node_class,
        request_timeout=timeout,
        max_retries=2,
        retry_on_timeout=False,
    )


async def detect_distribution(url: str, api_key: str | None = None) -> Distribution:
    """Ask the server at `url` which product it is (`GET /`), before a client that would refuse
    OpenSearch's answers exists."""
    headers = {"Authorization": f"ApiKey {api_key}"} if api_key else {}
    try:
        async with httpx.AsyncClient(timeout=10) as probe:
            response = await probe.get(url.rstrip("/") + "/", headers=headers)
            response.raise_for_status()
            version = response.json().get("version") or {}
    except (httpx.HTTPError, ValueError) as exc:
        raise SearchUnavailable(f"no search engine answers at {url}: {exc}") from exc
    return "opensearch" if version.get("distribution") == "opensearch" else "elasticsearch"


async def run_search(
    client: AsyncElasticsearch, index: str, body: dict[str, Any]
) -> ObjectApiResponse[Any]:
    """One search request. Raises `SearchUnavailable` when the engine cannot answer (down,
    timed out: `SearchTimeout`, index missing); a request the engine rejects as malformed is
    a bug and propagates."""
    try:
        return await client.search(index=index, body=body)
    except ConnectionTimeout as exc:
        raise SearchTimeout(str(exc)) from exc
    except (TransportError, OSError) as exc:
        raise SearchUnavailable(str(exc)) from exc
    except ApiError as exc:
        if exc.meta.status == 404 or exc.meta.status >= 500:
            raise SearchUnavailable(str(exc)) from exc
        raise


async def ping_search(client: AsyncElasticsearch) -> None:
    try:
        await client.info()
    except (TransportConnectionError, TransportError, OSError) as exc:
        raise SearchUnavailable(str(exc)) from exc


async def describe_search(client: AsyncElasticsearch) -> str:
    """`opensearch 2.19.6`, `elasticsearch 8.15.0` or `osmem`: what `/readyz` names."""
    try:
        version = (await client.info()).body.get("version") or {}
    except (TransportConnectionError, TransportError, OSError) as exc:
        raise SearchUnavailable(str(exc)) from exc
    if version.get("build_hash") == "osmem":
        return "osmem"
    return f"{version.get('distribution', 'elasticsearch')} {version.get('number', '?')}"
