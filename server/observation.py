"""Every GraphQL request over HTTP, observed from outside the app: a request id, a span that
roots the request's trace (tracing on; a caller's `traceparent` is followed), and when the
answer has left, its latency and error codes in the metrics and one log line
(`hanaro.requests`).

The line holds the request id, the operation's name and type, duration, HTTP status, outcome,
error codes and the viewer's institution: never the token, the variables or the document,
whose values are the callers' (a national id, a recipient's name)."""

from __future__ import annotations

import logging
import time
import uuid

from opentelemetry.propagate import extract
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer, format_trace_id
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.logs import FIELDS
from telemetry.labels import OTHER, safe_name
from telemetry.metrics import Metrics
from telemetry.requests import RequestRecord

__all__ = ["RECORD", "RequestObservation", "new_request_id"]

log = logging.getLogger("hanaro.requests")

# Where the record waits in the ASGI scope's state for the auth gate and the GraphQL context.
RECORD = "hanaro_record"
# The code of an answer given before GraphQL ran, by HTTP status (the body says the same).
_REFUSED = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED",
    503: "UNAVAILABLE",
}


def new_request_id() -> str:
    return uuid.uuid4().hex[:16]


class RequestObservation:
    def __init__(
        self, app: ASGIApp, *, metrics: Metrics, tracer: Tracer | None, path: str = "/graphql"
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.tracer = tracer
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        record = RequestRecord(request_id=new_request_id())
        scope.setdefault("state", {})[RECORD] = record

        page = False  # an HTML page (GraphiQL for a browser), not a GraphQL answer

        async def sending(message: Message) -> None:
            nonlocal page
            if message["type"] == "http.response.start":
                record.status = int(message["status"])
                page = any(
                    name.lower() == b"content-type" and value.startswith(b"text/html")
                    for name, value in message.get("headers", [])
                )
            await send(message)

        started = time.perf_counter()
        trace_id = None
        try:
            if self.tracer is None:
                await self.app(scope, receive, sending)
                return
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            with self.tracer.start_as_current_span(
                f"{scope['method']} {self.path}",
                context=extract(headers),
                kind=SpanKind.SERVER,
                record_exception=False,
            ) as span:
                trace_id = format_trace_id(span.get_span_context().trace_id)
                span.set_attribute("hanaro.request_id", record.request_id)
                await self.app(scope, receive, sending)
                span.set_attribute("http.response.status_code", record.status)
                if record.status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
        finally:
            if not page:
                self._finish(record, time.perf_counter() - started, trace_id)

    def _finish(self, record: RequestRecord, seconds: float, trace_id: str | None) -> None:
        if not record.executed and not 200 <= record.status < 400:
            record.error_codes = [_REFUSED.get(record.status, "INTERNAL_SERVER_ERROR")]
            record.status = record.status or 500  # the app raised: the server answers 500
        self.metrics.request(
            record.operation_name,
            record.operation_type,
            seconds,
            record.error_codes,
            executed=record.executed,
        )
        name = record.operation_name
        fields = {
            "request_id": record.request_id,
            "operation": (safe_name(name) or OTHER) if name else None,
            "operation_type": record.operation_type,
            "duration_ms": round(seconds * 1000, 1),
            "status": record.status,
            "outcome": record.outcome,
            "error_codes": record.error_codes,
            "institution_id": record.institution_id,
        }
        if trace_id is not None:
            fields["trace_id"] = trace_id
        codes = f" {','.join(record.error_codes)}" if record.error_codes else ""
        who = f", {record.institution_id}" if record.institution_id else ""
        log.info(
            "%s %s %s%s %.1f ms (request %s%s)",
            fields["operation"] or ("anonymous" if record.executed else "(not parsed)"),
            record.operation_type,
            record.outcome,
            codes,
            fields["duration_ms"],
            record.request_id,
            who,
            extra={FIELDS: fields},
        )
