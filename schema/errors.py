"""Error shaping: every error leaves with `extensions.code`; only the project's own errors and
GraphQL's validation messages (without the input values they quote) reach clients, everything
else is masked and logged; no message or log line carries a sensitive input's value."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from graph.engine import GraphInputRefused, GraphTimeout, GraphUnavailable
from resolvers.errors import HanaroError
from schema.sensitive import Redaction

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
    own errors, and hides field suggestions ("Did you mean ...") from anonymous callers.

    `sensitive`: GraphQL names of the inputs declared with `sensitive_field`."""

    def __init__(self, *, sensitive: frozenset[str] = frozenset()) -> None:
        self.sensitive = sensitive

    def on_operation(self) -> Iterator[None]:
        yield
        execution = self.execution_context
        result = execution.result
        if result is None or not getattr(result, "errors", None):
            return
        viewer = getattr(execution.context, "viewer", None)
        anonymous = viewer is None or viewer.anonymous
        request_id = getattr(viewer, "request_id", "")
        redaction = Redaction(self.sensitive, execution.graphql_document, execution.variables)
        result.errors = [self._shape(e, anonymous, request_id, redaction) for e in result.errors]

    def _shape(
        self, error: GraphQLError, anonymous: bool, request_id: str, redaction: Redaction
    ) -> GraphQLError:
        original = error.original_error
        if isinstance(original, HanaroError):
            extensions = {**original.extensions, "code": original.code.value}
            return self._copy(error, redaction.text(original.message), extensions)
        if isinstance(original, GraphTimeout):
            log.warning("statement time limit in request %s: %s", request_id, original)
            return self._copy(
                error,
                "The request took longer than the server allows (HANARO_STATEMENT_TIMEOUT_MS) "
                "and was stopped; ask for less (a smaller page, narrower filters) or try again.",
                {"code": "TIMEOUT"},
            )
        if isinstance(original, GraphInputRefused):
            return self._copy(
                error,
                "A text value holds a character that cannot be stored (a NUL byte or an "
                "unpaired surrogate); remove it.",
                {"code": "BAD_USER_INPUT"},
            )
        if isinstance(original, GraphUnavailable):
            log.error("graph unavailable (request %s): %s", request_id, original)
            return self._copy(
                error,
                "The graph database is unavailable; try again shortly.",
                {"code": "UNAVAILABLE"},
            )
        if original is None or isinstance(original, GraphQLError):
            own_code = (error.extensions or {}).get("code")
            code = own_code or _code_for_graphql_error(error)
            message = error.message
            if own_code is None and code != "GRAPHQL_PARSE_FAILED":  # graphql-core's own text
                message = redaction.graphql_message(message)
            message = _SUGGESTION.sub("", message) if anonymous else message
            return self._copy(
                error, redaction.text(message), {**(error.extensions or {}), "code": code}
            )
        trace = "".join(traceback.format_exception(original))
        log.error(
            "unexpected error in request %s at %s\n%s",
            request_id,
            error.path,
            redaction.text(trace),
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
