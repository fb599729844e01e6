"""Serving the web app built from `web/` (into `web/dist`): the app at `/` with a fallback to
its `index.html` for the app's own paths, its GraphiQL page (also what `/graphql` shows a
browser), and in `hanaro demo` only the list of demo staff to sign in as.

Everything a page loads comes from here, and the Content-Security-Policy says so to the
browser too: a network separated from the internet (망분리) gets the same pages."""

from __future__ import annotations

import time
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from server.demo_tokens import demo_user_tokens
from server.runtime import Runtime

__all__ = ["WEB_DIST", "graphiql_page", "webapp_routes"]

WEB_DIST = Path(__file__).resolve().parent.parent / "web" / "dist"

# Same-origin only; GraphQL over fetch and graphql-transport-ws, inline styles for React's
# style props and GraphiQL's editor, data: for small images.
CSP = (
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
# Building the demo users' list costs ~65 ms (the data set is generated, tokens are signed);
# it is kept for an hour, well inside the tokens' 7 days.
DEMO_STAFF_TTL_S = 3600.0
# Paths the server answers itself: never the app's fallback page.
RESERVED = ("graphql", "graphiql", "hsds", "healthz", "readyz", "metrics", "demo")

NOT_BUILT = """<!doctype html><html lang="ko"><meta charset="utf-8"><title>Hanaro</title>
<body><h1>웹 앱이 빌드되지 않았습니다 / The web app is not built</h1>
<p><code>make web</code> (Node.js 20+) 를 실행한 뒤 다시 시작하세요.
Run <code>make web</code> (Node.js 20+), then restart. GraphQL answers at
<code>POST /graphql</code>.</p></body></html>"""


def _page(name: str) -> Response:
    path = WEB_DIST / name
    if not path.is_file():
        return HTMLResponse(NOT_BUILT, 503, headers=HEADERS)
    return FileResponse(path, media_type="text/html", headers=HEADERS)


def graphiql_page() -> Response:
    """GraphiQL bundled by the web build (`web/graphiql.html`), instead of Strawberry's page
    that loads React and GraphiQL from a public CDN."""
    return _page("graphiql.html")


def _demo_staff(runtime: Runtime) -> list[dict[str, object]]:
    """One entry per demo user as `demo.users` defines them (label, institution and its name
    — the platform operator is not in the directory —, roles) with the token `hanaro demo`
    prints."""
    return [
        {
            "label": user.label,
            "subject": user.subject,
            "institutionId": user.institution_id,
            "institutionName": user.institution_name,
            "roles": list(user.roles),
            "token": token,
        }
        for user, token in demo_user_tokens(runtime.secret)
    ]


class _DemoStaffList:
    """The demo users' list, made on first use and again once it is DEMO_STAFF_TTL_S old."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.made_at = -DEMO_STAFF_TTL_S
        self.staff: list[dict[str, object]] = []

    def get(self) -> list[dict[str, object]]:
        if time.monotonic() - self.made_at >= DEMO_STAFF_TTL_S:
            self.staff = _demo_staff(self.runtime)
            self.made_at = time.monotonic()
        return self.staff


def webapp_routes(runtime: Runtime, *, demo: bool) -> list[BaseRoute]:
    """Routes to add after the API's own: `/demo/staff` only when `demo`, GraphiQL at
    `/graphiql`, built files, and the app's page for every other path."""

    demo_staff = _DemoStaffList(runtime)

    async def staff(_: Request) -> Response:
        return JSONResponse({"staff": demo_staff.get()}, headers={"Cache-Control": "no-store"})

    async def graphiql(_: Request) -> Response:
        return graphiql_page()

    async def app(request: Request) -> Response:
        path = request.path_params["path"]
        if path.split("/", 1)[0] in RESERVED:
            return JSONResponse({"error": "Not found."}, 404)
        if path:
            file = (WEB_DIST / path).resolve()
            if file.is_relative_to(WEB_DIST) and file.is_file():
                return FileResponse(file, headers={"X-Content-Type-Options": "nosniff"})
            if path.startswith("assets/"):
                return JSONResponse({"error": "Not found."}, 404)
        return _page("index.html")

    routes: list[BaseRoute] = []
    if demo:
        routes.append(Route("/demo/staff", staff))
    routes += [
        Route("/graphiql", graphiql),
        Route("/{path:path}", app, methods=["GET", "HEAD"]),
    ]
    return routes
