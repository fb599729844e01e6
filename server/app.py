"""The ASGI application: `/graphql` (with GraphiQL), the HSDS feed under `/hsds`, `/healthz`,
`/readyz`, `/metrics`."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from graph.engine import GraphUnavailable
from resolvers.context import RequestContext
from schema import build_schema
from server.auth import AuthError
from server.hsds import hsds_routes
from server.runtime import Runtime

__all__ = ["create_app"]

log = logging.getLogger("hanaro.http")


class HanaroGraphQL(GraphQL[RequestContext, None]):
    """Strawberry's ASGI view; the context is our `RequestContext`, with the viewer the auth
    gate already resolved. A websocket (graphql-transport-ws) may instead authenticate in its
    `connection_init` payload; one that ends up without a valid staff token is refused."""

    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        settings = runtime.settings
        schema = build_schema(
            max_depth=settings.max_query_depth,
            max_cost=settings.max_query_cost,
            max_page_size=settings.max_page_size,
        )
        super().__init__(schema, **kwargs)
        self.runtime = runtime

    async def get_context(self, request: Any, response: Any) -> RequestContext:
        viewer = request.scope["state"]["hanaro_viewer"]
        context = RequestContext(self.runtime.services, viewer)
        client = getattr(request, "client", None)
        context.client_address = client.host if client else ""
        return context

    async def on_ws_connect(self, context: RequestContext) -> UnsetType | dict[str, object] | None:
        """`{"Authorization": "Bearer …"}` in `connection_init` wins over the upgrade header."""
        params = context.connection_params or {}
        authorization = params.get("Authorization", params.get("authorization"))
        if authorization is not None:
            if not isinstance(authorization, str):
                raise ConnectionRejectionError({"message": "Authorization must be a string."})
            try:
                context.viewer = await self.runtime.viewer(authorization, context.viewer.request_id)
            except AuthError as exc:
                raise ConnectionRejectionError({"message": str(exc)}) from None
            except GraphUnavailable:
                raise ConnectionRejectionError({"message": "The graph is unavailable."}) from None
        if context.viewer.anonymous:
            raise ConnectionRejectionError(
                {"message": 'Subscriptions are for staff: send {"Authorization": "Bearer …"}.'}
            )
        return UNSET


class AuthGate:
    """Resolves the bearer token before Strawberry runs: a bad token gets 401 with a GraphQL
    error body (`extensions.code = UNAUTHENTICATED`), never anonymous access."""

    def __init__(self, runtime: Runtime, graphql: HanaroGraphQL) -> None:
        self.runtime = runtime
        self.graphql = graphql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request_id = uuid.uuid4().hex[:16]
        headers = dict(scope.get("headers") or [])
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send, authorization, request_id)
            return
        try:
            viewer = await self.runtime.viewer(authorization, request_id)
        except AuthError as exc:
            body = {"errors": [{"message": str(exc), "extensions": {"code": "UNAUTHENTICATED"}}]}
            response = JSONResponse(body, 401, headers={"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        except GraphUnavailable:
            body = {
                "errors": [
                    {
                        "message": "The graph database is unavailable; try again shortly.",
                        "extensions": {"code": "UNAVAILABLE"},
                    }
                ]
            }
            await JSONResponse(body, 503)(scope, receive, send)
            return
        scope.setdefault("state", {})["hanaro_viewer"] = viewer
        await self.graphql(scope, receive, send)

    async def _websocket(
        self, scope: Scope, receive: Receive, send: Send, authorization: str, request_id: str
    ) -> None:
        """A bad token on the upgrade request is refused before the handshake (HTTP 403);
        without one the socket may still authenticate in `connection_init`."""
        try:
            viewer = await self.runtime.viewer(authorization, request_id)
        except (AuthError, GraphUnavailable):
            await WebSocket(scope, receive, send).close(code=4401)
            return
        scope.setdefault("state", {})["hanaro_viewer"] = viewer
        await self.graphql(scope, receive, send)


def create_app(runtime: Runtime) -> Starlette:
    graphql = HanaroGraphQL(runtime, graphql_ide="graphiql")
    gate = AuthGate(runtime, graphql)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        """Each role answers, and which engine (and version) is behind it."""
        engines = await runtime.backends.describe()
        checks = {role: "ok" if name != "unavailable" else name for role, name in engines.items()}
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", **checks, "engines": engines},
            200 if ready else 503,
        )

    async def metrics(_: Request) -> Response:
        m = runtime.sync.metrics
        lines = [
            "# HELP hanaro_search_sync_applied_events_total Resource changes applied to the index.",
            "# TYPE hanaro_search_sync_applied_events_total counter",
            f"hanaro_search_sync_applied_events_total {m.applied_events}",
            "# HELP hanaro_search_sync_failed_batches_total Failed sync passes (retried).",
            "# TYPE hanaro_search_sync_failed_batches_total counter",
            f"hanaro_search_sync_failed_batches_total {m.failed_batches}",
            "# HELP hanaro_search_index_lag_ms Time from a write to its indexing (last batch).",
            "# TYPE hanaro_search_index_lag_ms gauge",
            f"hanaro_search_index_lag_ms {m.last_lag_ms:.1f}",
            f"hanaro_search_index_lag_max_ms {m.max_lag_ms:.1f}",
        ]
        return PlainTextResponse("\n".join(lines) + "\n")

    # CORS for GraphQL from HANARO_CORS_ORIGINS only; the HSDS feed allows any origin itself.
    graphql_app: ASGIApp = gate
    graphql_methods = ["GET", "POST"]
    if runtime.settings.cors_origins:
        graphql_methods.append("OPTIONS")
        graphql_app = CORSMiddleware(
            gate,
            allow_origins=list(runtime.settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type"],
        )
    routes = [
        Route("/graphql", graphql_app, methods=graphql_methods),
        WebSocketRoute("/graphql", gate),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics),
        *hsds_routes(runtime),
    ]
    return Starlette(routes=routes)
