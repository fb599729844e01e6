"""What the schema tells the request's record (`telemetry.requests.RequestRecord`), for the log
line and the metrics the HTTP layer writes: the operation's name and type and the codes of the
errors answered. Listed before `ErrorShaping`, so it reads the errors after they were coded."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionContext

from telemetry.requests import RequestRecord

__all__ = ["OperationFacts", "operation_type"]


def operation_type(execution: ExecutionContext) -> str:
    """`query`, `mutation` or `subscription`; `unknown` when the document did not parse or
    names no such operation."""
    try:
        return str(execution.operation_type.value)
    except Exception:  # no document, or an operation name it does not hold
        return "unknown"


class OperationFacts(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        execution = self.execution_context
        record: RequestRecord | None = getattr(execution.context, "record", None)
        if record is None:  # a websocket, or a schema run outside the HTTP app
            return
        record.executed = True
        record.operation_name = execution.operation_name
        record.operation_type = operation_type(execution)
        result = execution.result
        errors = list(getattr(result, "errors", None) or [])
        record.error_codes += [
            str((error.extensions or {}).get("code") or "INTERNAL_SERVER_ERROR") for error in errors
        ]
        record.partial = bool(errors) and getattr(result, "data", None) is not None
