"""Strawberry's OpenTelemetry extension without values: its operation span would carry the
whole document (a literal in it may be a national id typed inline) and its resolver spans
every argument; here the operation span carries the operation's name and type and the error
codes, and resolver spans their field and path only (`arg_filter` drops every argument)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLResolveInfo
from opentelemetry.trace import TracerProvider
from strawberry.extensions import LifecycleStep
from strawberry.extensions.tracing import OpenTelemetryExtension
from strawberry.types.execution import ExecutionContext

from schema.observation import operation_type
from telemetry.labels import safe_name

__all__ = ["GraphQLTracing"]


def _no_arguments(args: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any]:
    return {}


def _span_name(name: str | None) -> str:
    safe = safe_name(name)
    return f"GraphQL Query: {safe}" if safe else "GraphQL Query"


class GraphQLTracing(OpenTelemetryExtension):
    def __init__(
        self,
        *,
        tracer_provider: TracerProvider,
        execution_context: ExecutionContext | None = None,
    ) -> None:
        super().__init__(
            execution_context=execution_context,
            arg_filter=_no_arguments,
            tracer_provider=tracer_provider,
        )

    def on_operation(self) -> Iterator[None]:
        """Replaces the parent's, which records `execution_context.query`."""
        execution = self.execution_context
        span = self._tracer.start_span(_span_name(execution.operation_name))
        span.set_attribute("component", "graphql")
        self._span_holder[LifecycleStep.OPERATION] = span
        try:
            yield
        finally:
            name = safe_name(execution.operation_name)
            span.update_name(_span_name(name))
            span.set_attribute("graphql.operation.type", operation_type(execution))
            if name:
                span.set_attribute("graphql.operation.name", name)
            errors = getattr(execution.result, "errors", None) or []
            codes = [str((e.extensions or {}).get("code", "")) for e in errors]
            if codes:
                span.set_attribute("graphql.error_codes", codes)
            span.end()
