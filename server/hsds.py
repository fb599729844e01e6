"""The read-only Open Referral HSDS 3.0 API under `/hsds`.

Query parameters are checked here (a bad one is HTTP 400 with `{"error", "parameter"}`); an
unknown, malformed or hidden id in the path is the same 404. The viewer comes from an optional
bearer token through the same verifier as `/graphql`: no token is the public feed, a bad token
is 401, never anonymous. Every response allows any origin (`Access-Control-Allow-Origin: *`):
the feed is meant for other directories' browsers, and a token is never ambient."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph.engine import GraphUnavailable
from hsds import feed, taxonomies
from hsds.documents import HSDS_VERSION, openapi_description
from hsds.feed import Near, Page, ServiceQuery
from resolvers.context import RequestContext
from resolvers.errors import ErrorCode, HanaroError
from resolvers.validation import describe_forbidden
from search.engine import SearchUnavailable
from server.auth import AuthError
from server.runtime import Runtime

__all__ = ["PROFILE", "hsds_routes"]

# No HSDS profile: the base specification, as published for 3.0.
PROFILE = "https://github.com/openreferral/specification/tree/3.0"
DEFAULT_PER_PAGE = 50
_CORS = {"Access-Control-Allow-Origin": "*"}
_PREFLIGHT = {
    **_CORS,
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
}

_PAGED = {"page", "per_page", "format", "search"}
_SERVICE_FILTERS = {"taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after"}
ALLOWED = {
    "services": _PAGED | _SERVICE_FILTERS | {"minimal", "full"},
    "service_at_locations": _PAGED | _SERVICE_FILTERS | {"full", "lat", "lon", "proximity"},
    "organizations": _PAGED | {"full", "full_service"},
    "organization": {"full_service"},
    "taxonomies": _PAGED,
    "taxonomy_terms": _PAGED | {"taxonomy_id", "top_only", "parent_id"},
    "one": set(),
}


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status, headers={**_CORS, **(headers or {})})


def _error(status: int, message: str, parameter: str | None = None) -> JSONResponse:
    body = {"error": message, **({"parameter": parameter} if parameter else {})}
    return _json(body, status)


class Params:
    """The query string of one request, read with checks."""

    def __init__(self, request: Request, allowed: set[str], max_page_size: int) -> None:
        self.values = request.query_params
        self.max_page_size = max_page_size
        for name, value in self.values.multi_items():
            if name not in allowed:
                hint = "; use lat, lon and proximity" if name == "postcode" else ""
                raise BadParameter(name, f"{name} is not a parameter of this list{hint}.")
            found = describe_forbidden(value)  # the GraphQL API's rule for text
            if found:
                raise BadParameter(
                    name, f"{name} holds a character that has no place in text ({found})."
                )
        if self.text("format") not in (None, "json"):
            raise BadParameter("format", "format: only json is served.")

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value.strip() or None if value is not None else None

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise BadParameter(name, f"{name} must be a whole number.") from None
        if not low <= value <= high:
            raise BadParameter(name, f"{name} must be between {low} and {high}; got {value}.")
        return value

    def number(self, name: str) -> float | None:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise BadParameter(name, f"{name} must be a number.") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise BadParameter(name, f"{name} must be a finite number.")
        return value

    def flag(self, name: str) -> bool:
        raw = self.text(name)
        if raw is None:
            return False
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        raise BadParameter(name, f"{name} must be true or false.")

    def page(self) -> Page:
        size = self.integer(
            "per_page", min(DEFAULT_PER_PAGE, self.max_page_size), 1, self.max_page_size
        )
        return Page(self.integer("page", 1, 1, 1_000_000), size)

    def modified_after(self) -> str | None:
        raw = self.text("modified_after")
        if raw is None:
            return None
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise BadParameter(
                "modified_after",
                "modified_after must be an ISO-8601 date or date-time, e.g. 2026-03-01T09:00:00Z.",
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
        return text.replace("+00:00", "Z")

    def near(self) -> Near | None:
        lat, lon, meters = self.number("lat"), self.number("lon"), self.number("proximity")
        given = {"lat": lat, "lon": lon, "proximity": meters}
        if all(v is None for v in given.values()):
            return None
        missing = [name for name, value in given.items() if value is None]
        if missing:
            raise BadParameter(missing[0], "give lat, lon and proximity (metres) together.")
        assert lat is not None and lon is not None and meters is not None
        return Near(lat, lon, meters)

    def service_query(self, *, near: bool = False) -> ServiceQuery:
        return ServiceQuery(
            page=self.page(),
            search=self.text("search"),
            taxonomy_term_id=self.text("taxonomy_term_id"),
            taxonomy_id=self.text("taxonomy_id"),
            organization_id=self.text("organization_id"),
            modified_after=self.modified_after(),
            near=self.near() if near else None,
        )


Handler = Callable[[RequestContext, Params, Request], Awaitable[Any]]


def hsds_routes(runtime: Runtime) -> list[Route]:
    """The `/hsds` routes; each runs with the viewer of the request's token."""
    max_page = runtime.settings.max_page_size

    def endpoint(allowed: str, handler: Handler, not_found: str = "") -> Any:
        async def run(request: Request) -> Response:
            if request.method == "OPTIONS":
                return Response(status_code=204, headers=_PREFLIGHT)
            authorization = request.headers.get("authorization", "")
            try:
                viewer = await runtime.viewer(authorization, uuid.uuid4().hex[:16])
                params = Params(request, ALLOWED[allowed], max_page)
                body = await handler(RequestContext(runtime.services, viewer), params, request)
            except AuthError as exc:
                response = _error(401, str(exc))
                response.headers["WWW-Authenticate"] = "Bearer"
                return response
            except BadParameter as exc:
                return _error(400, exc.message, exc.parameter)
            except HanaroError as exc:
                if exc.code is ErrorCode.BAD_USER_INPUT:
                    return _error(400, exc.message, exc.extensions.get("field"))
                if exc.code is ErrorCode.UNAVAILABLE:
                    return _error(503, exc.message)
                raise
            except (GraphUnavailable, SearchUnavailable):
                return _error(503, "The directory is unavailable; try again shortly.")
            if body is None:
                return _error(404, f"No {not_found} with this id.", "id")
            return _json(body)

        return run

    async def root(_: RequestContext, __: Params, request: Request) -> Any:
        return {
            "version": HSDS_VERSION,
            "profile": PROFILE,
            "openapi_url": str(request.url_for("hsds_openapi")),
        }

    async def openapi(_: RequestContext, __: Params, request: Request) -> Any:
        base = str(request.url_for("hsds_root")).rstrip("/")
        return openapi_description(base, title="Hanaro HSDS feed", version="1")

    async def services(ctx: RequestContext, params: Params, _: Request) -> Any:
        minimal, full = params.flag("minimal"), params.flag("full")
        if minimal and full:
            raise BadParameter("minimal", "minimal and full cannot both be true.")
        return await feed.list_services(ctx, params.service_query(), full=full, minimal=minimal)

    async def one_service(ctx: RequestContext, _: Params, request: Request) -> Any:
        return await feed.get_service(ctx, request.path_params["id"])

    async def at_locations(ctx: RequestContext, params: Params, _: Request) -> Any:
        query = params.service_query(near=True)
        return await feed.list_service_at_locations(ctx, query, full=params.flag("full"))

    async def organizations(ctx: RequestContext, params: Params, _: Request) -> Any:
        return await feed.list_organizations(
            ctx,
            params.text("search"),
            params.page(),
            full=params.flag("full") or params.flag("full_service"),
            full_services=params.flag("full_service"),
        )

    async def one_organization(ctx: RequestContext, params: Params, request: Request) -> Any:
        return await feed.get_organization(
            ctx, request.path_params["id"], full_services=params.flag("full_service")
        )

    async def taxonomy_list(ctx: RequestContext, params: Params, _: Request) -> Any:
        return await taxonomies.list_taxonomies(
            ctx, params.page(), search_text=params.text("search")
        )

    async def one_taxonomy(ctx: RequestContext, _: Params, request: Request) -> Any:
        return await taxonomies.get_taxonomy(ctx, request.path_params["id"])

    async def terms(ctx: RequestContext, params: Params, _: Request) -> Any:
        return await taxonomies.list_terms(
            ctx,
            params.page(),
            search_text=params.text("search"),
            taxonomy_id=params.text("taxonomy_id"),
            parent_id=params.text("parent_id"),
            top_only=params.flag("top_only"),
        )

    async def one_term(ctx: RequestContext, _: Params, request: Request) -> Any:
        return await taxonomies.get_term(ctx, request.path_params["id"])

    methods = ["GET", "OPTIONS"]
    table: list[tuple[str, str, Handler, str, str | None]] = [
        ("/hsds/", "one", root, "", "hsds_root"),
        ("/hsds/openapi.json", "one", openapi, "", "hsds_openapi"),
        ("/hsds/services", "services", services, "", None),
        ("/hsds/services/{id}", "one", one_service, "service", None),
        ("/hsds/service_at_locations", "service_at_locations", at_locations, "", None),
        ("/hsds/organizations", "organizations", organizations, "", None),
        ("/hsds/organizations/{id}", "organization", one_organization, "organization", None),
        ("/hsds/taxonomies", "taxonomies", taxonomy_list, "", None),
        ("/hsds/taxonomies/{id}", "one", one_taxonomy, "taxonomy", None),
        ("/hsds/taxonomy_terms", "taxonomy_terms", terms, "", None),
        ("/hsds/taxonomy_terms/{id}", "one", one_term, "taxonomy term", None),
    ]
    routes = [
        Route(path, endpoint(allowed, handler, kind), methods=methods, name=name)
        for path, allowed, handler, kind, name in table
    ]
    routes.append(Route("/hsds", endpoint("one", root), methods=methods))
    return routes
