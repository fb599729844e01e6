"""A GraphQL caller bound to the test app (the `api` fixture), with token helpers."""

from __future__ import annotations

from typing import Any

import httpx

from server.auth import issue_token
from server.runtime import Runtime


class Api:
    """A GraphQL caller bound to the test app, with token helpers."""

    def __init__(self, client: httpx.AsyncClient, runtime: Runtime) -> None:
        self.client = client
        self.runtime = runtime

    def token(self, institution_id: str, *roles: str, subject: str = "staff-1") -> str:
        return issue_token(
            self.runtime.secret,
            subject=subject,
            institution_id=institution_id,
            roles=list(roles) or ["CASEWORKER"],
            ttl_seconds=600,
        )

    async def raw(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        response = await self.raw(query, variables, token)
        return response.json()

    async def ok(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        body = await self(query, variables, token)
        assert "errors" not in body, body
        return body["data"]

    async def error(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        body = await self(query, variables, token)
        assert body.get("errors"), body
        return body["errors"][0]
