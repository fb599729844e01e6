"""Error shaping: every error leaves with `extensions.code`; only the project's own errors and
GraphQL's validation messages reach clients, everything else is masked and logged."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from graph.engine import GraphUnavailable
from resolvers.errors import HanaroError

__all__ = ["ErrorShaping"]

log = logging.getLogger("hanaro.errors")
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def _code_for_graphql_error(error: GraphQLError) -> str:
    message = error.message
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable '$"):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


class ErrorShaping(SchemaExtension):
    """Like Strawberry's `MaskErrors`, but keeps `HanaroError`s with their code, codes GraphQL's
    own errors, and hides field suggestions ("Did you mean ...") from anonymous callers."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not getattr(result, "errors", None):
            return
        context = self.execution_context.context
        viewer = getattr(context, "viewer", None)
        anonymous = viewer is None or viewer.anonymous
        request_id = getattr(viewer, "request_id", "")
        result.errors = [self._shape(e, anonymous, request_id) for e in result.errors]

    def _shape(self, error: GraphQLError, anonymous: bool, request_id: str) -> GraphQLError:
        original = error.original_error
        if isinstance(original, HanaroError):
            extensions = {**original.extensions, "code": original.code.value}
            return self._copy(error, original.message, extensions)
        if isinstance(original, GraphUnavailable):
            log.error("graph unavailable (request %s): %s", request_id, original)
            return self._copy(
                error,
                "The graph database is unavailable; try again shortly.",
                {"code": "UNAVAILABLE"},
            )
        if original is None or isinstance(original, GraphQLError):
            code = (error.extensions or {}).get("code") or _code_for_graphql_error(error)
            message = _SUGGESTION.sub("", error.message) if anonymous else error.message
            return self._copy(error, message, {**(error.extensions or {}), "code": code})
        log.error(
            "unexpected error in request %s at %s",
            request_id,
            error.path,
            exc_info=(type(original), original, original.__traceback__),
        )
        return self._copy(
            error,
            f"Internal error; quote request id {request_id} when you report it.",
            {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )

    @staticmethod
    def _copy(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions,
        )
