"""The ASGI application: `/graphql` (with GraphiQL), the HSDS feed under `/hsds`, `/healthz`,
`/readyz`, `/metrics`, and the web app at `/` (`server/webapp.py`)."""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET, UnsetType

from graph.engine import GraphUnavailable, statement_time_limit
from resolvers.access import STAFF
from resolvers.context import RequestContext
from schema import build_schema
from server.auth import AuthError
from server.hsds import hsds_routes
from server.metrics import metrics_endpoint
from server.observation import RECORD, RequestObservation, new_request_id
from server.rate_limit import RateLimiter
from server.request_body import RequestBodyGuard, error_body
from server.runtime import Runtime
from server.trusted_documents import load_manifest
from server.webapp import graphiql_page, webapp_routes

__all__ = ["create_app"]

log = logging.getLogger("hanaro.http")


class HanaroGraphQL(GraphQL[RequestContext, None]):
    """Strawberry's ASGI view; the context is our `RequestContext`, with the viewer the auth
    gate already resolved. A websocket (graphql-transport-ws) may instead authenticate in its
    `connection_init` payload; one that ends up without a valid staff token is refused."""

    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        settings = runtime.settings
        trusted = settings.trusted_documents
        schema = build_schema(
            max_depth=settings.max_query_depth,
            max_cost=settings.max_query_cost,
            max_page_size=settings.max_page_size,
            tracer_provider=runtime.telemetry.tracer_provider,
            apq_cache_size=settings.apq_cache_size,
            trusted_documents=load_manifest(trusted) if trusted is not None else None,
        )
        super().__init__(schema, **kwargs)
        self.runtime = runtime

    async def get_context(self, request: Any, response: Any) -> RequestContext:
        viewer = request.scope["state"]["hanaro_viewer"]
        context = RequestContext(self.runtime.services, viewer)
        client = getattr(request, "client", None)
        context.client_address = client.host if client else ""
        context.record = request.scope.get("state", {}).get(RECORD)
        # Persisted queries set the HTTP status and Cache-Control of their errors on it.
        context.http_response = response if isinstance(response, Response) else None
        return context

    def should_render_graphql_ide(self, request: Any) -> bool:
        """Not for a GET that carries a persisted query's hash (`extensions`) instead of
        `query`: that one runs, whatever the Accept header says."""
        if request.query_params.get("extensions"):
            return False
        return super().should_render_graphql_ide(request)

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
        if not STAFF.admits(context.viewer):
            raise ConnectionRejectionError(
                {"message": 'Subscriptions are for staff: send {"Authorization": "Bearer …"}.'}
            )
        return UNSET

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our own GraphiQL build: Strawberry's page loads its scripts from a public CDN."""
        return graphiql_page()


class AuthGate:
    """Resolves the bearer token before Strawberry runs: a bad token gets 401 with a GraphQL
    error body (`extensions.code = UNAUTHENTICATED`), never anonymous access. Then the rate
    limit of the staff member (or of the anonymous address), and the statement time limit
    every graph read of the request runs under."""

    def __init__(self, runtime: Runtime, graphql: HanaroGraphQL) -> None:
        self.runtime = runtime
        self.graphql = graphql
        settings = runtime.settings
        self.staff_rate = RateLimiter(settings.rate_limit_staff_per_minute)
        self.anonymous_rate = RateLimiter(settings.rate_limit_anonymous_per_minute)
        self.statement_timeout = settings.statement_timeout_ms / 1000

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.setdefault("state", {})
        record = state.get(RECORD)  # RequestObservation's, on HTTP
        request_id = record.request_id if record is not None else new_request_id()
        headers = dict(scope.get("headers") or [])
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send, authorization, request_id)
            return
        address = f"address:{(scope.get('client') or ('unknown',))[0]}"
        if not authorization and await self._limited(self.anonymous_rate, address, scope, send):
            return
        try:
            viewer = await self.runtime.viewer(authorization, request_id)
        except AuthError as exc:
            if await self._limited(self.anonymous_rate, address, scope, send):
                return  # a flood of bad tokens counts against its address
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
        if record is not None and not viewer.anonymous:
            record.institution_id = viewer.institution_id
        staff = f"staff:{viewer.institution_id}:{viewer.subject}"
        if not viewer.anonymous and await self._limited(self.staff_rate, staff, scope, send):
            return
        state["hanaro_viewer"] = viewer
        with statement_time_limit(self.statement_timeout):
            await self.graphql(scope, receive, send)

    @staticmethod
    async def _limited(limiter: RateLimiter, key: str, scope: Scope, send: Send) -> bool:
        """Answer 429 (and return True) when `key` has used its allowance."""
        wait = limiter.retry_after(key)
        if wait is None:
            return False
        body = error_body(
            f"Too many requests; try again in {wait} s.", "RATE_LIMITED", retryAfter=wait
        )
        response = JSONResponse(body, 429, headers={"Retry-After": str(wait)})
        await response(scope, _no_body, send)
        return True

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
        with statement_time_limit(self.statement_timeout):
            await self.graphql(scope, receive, send)


async def _no_body() -> dict[str, Any]:
    return {"type": "http.disconnect"}


def create_app(runtime: Runtime, *, demo: bool = False) -> Starlette:
    """`demo` adds the demo staff list the web app's sign-in offers (`hanaro demo` only)."""
    graphql = HanaroGraphQL(runtime, graphql_ide="graphiql")
    gate = AuthGate(runtime, graphql)

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        """Each role answers, which engine (and version) is behind it, and no engine child is
        still being restarted (up again, but its state not yet rebuilt)."""
        engines = await runtime.backends.describe()
        checks = {role: "ok" if name != "unavailable" else name for role, name in engines.items()}
        for name, child in runtime.supervisor.children.items():
            if child.state.status != "running":
                checks[name] = child.state.status
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", **checks, "engines": engines},
            200 if ready else 503,
        )

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
        Route("/metrics", metrics_endpoint(runtime)),
        *hsds_routes(runtime),
        *webapp_routes(runtime, demo=demo),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(RequestBodyGuard, max_bytes=runtime.settings.max_body_bytes)
    # Outermost: it also sees the answers the body guard gives.
    telemetry = runtime.telemetry
    app.add_middleware(
        RequestObservation, metrics=telemetry.metrics, tracer=telemetry.tracer("hanaro.http")
    )
    return app
