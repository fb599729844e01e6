"""The request body, checked before anything parses it: one size limit for every route, and for
GraphQL over HTTP a body that is one JSON object in UTF-8.

Strawberry would read any size, answer bad bytes with an HTTP 500 and a JSON array with a
plain-text 400; here each gets a GraphQL-shaped JSON error with `extensions.code`."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestBodyGuard", "error_body"]


def error_body(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    """The body of an error answered before GraphQL runs, shaped like a GraphQL response."""
    return {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}


class _TooLarge(Exception):
    pass


class RequestBodyGuard:
    """ASGI middleware. A declared `Content-Length` over the limit is refused unread; a chunked
    body is counted while it arrives and refused at the first byte over. A body within the
    limit is read once and handed on unchanged."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, graphql_path: str = "/graphql") -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.graphql_path = graphql_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in {"GET", "HEAD", "OPTIONS"}:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        try:
            body = await self._read(receive)
        except _TooLarge:
            await self._too_large(scope, receive, send)
            return
        if scope["path"] == self.graphql_path and "json" in headers.get("content-type", ""):
            problem = _json_problem(body)
            if problem is not None:
                response = JSONResponse(error_body(problem, "BAD_REQUEST"), 400)
                await response(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = (
            f"The request body is larger than {self.max_bytes} bytes "
            "(HANARO_MAX_BODY_BYTES); send less."
        )
        body = error_body(message, "PAYLOAD_TOO_LARGE", maxBytes=self.max_bytes)
        # The rest of an oversized body is not read: the connection closes after the answer.
        await JSONResponse(body, 413, headers={"Connection": "close"})(scope, receive, send)


def _json_problem(body: bytes) -> str | None:
    """Why a GraphQL-over-HTTP JSON body cannot be used, or None."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "The request body is not valid UTF-8."
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"The request body is not valid JSON ({exc.msg} at position {exc.pos})."
    if isinstance(data, list):
        return "Send one operation as a JSON object; batching (a JSON array) is not supported."
    if not isinstance(data, dict):
        return 'The request body must be a JSON object: {"query": "...", "variables": {...}}.'
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
