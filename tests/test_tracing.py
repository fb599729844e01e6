"""OpenTelemetry traces through the running app (tracing on, the SDK's in-memory exporter):
one trace per request, spans for the GraphQL operation, each graph statement and each search
call, named by code — and no parameter value, document or variable anywhere in them."""

from __future__ import annotations

import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from server.settings import Settings
from telemetry.instruments import Telemetry
from tests.support.recipients import person
from tests.support.search import SEARCH

NAME = "홍길순"
NATIONAL_ID = "440302-2345678"
REGISTER = """mutation RegisterPerson($input: RegisterRecipientInput!) {
  registerRecipient(input: $input) { id name } }"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return replace(settings, tracing=True)


@pytest.fixture
def spans(runtime) -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    runtime.telemetry.tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


def everything_said(span) -> str:
    """The span's name, attributes, events and status, as one text to search."""
    parts = [span.name, str(dict(span.attributes or {})), str(span.status.description)]
    parts += [f"{e.name} {dict(e.attributes or {})}" for e in span.events]
    return " ".join(parts)


def _request_trace(finished: Any) -> list[Any]:
    """The spans of the one request among `finished`, checked to hang from its server span."""
    [root] = [span for span in finished if span.name == "POST /graphql"]
    assert root.parent is None and root.kind == SpanKind.SERVER
    return [span for span in finished if span.context.trace_id == root.context.trace_id]


async def test_one_trace_with_operation_statement_and_search_spans(api, tokens, spans):
    secret = person(name=NAME, nationalId=NATIONAL_ID)
    await api.ok(REGISTER, {"input": secret}, tokens["owner"])
    registered = spans.get_finished_spans()
    spans.clear()
    await api.ok(
        SEARCH, {"input": {"text": NAME, "needs": ["DAILY_LIVING_MEALS"]}}, tokens["owner"]
    )
    searched = spans.get_finished_spans()

    # Background jobs (the search sync woken by the write) trace their statements as traces
    # of their own: the request's spans are those of its root's trace.
    registered, searched = (_request_trace(finished) for finished in (registered, searched))
    names = [span.name for span in registered]
    assert "GraphQL Query: RegisterPerson" in names, names
    operation = next(s for s in registered if s.name == "GraphQL Query: RegisterPerson")
    assert operation.attributes["graphql.operation.type"] == "mutation"
    assert "query" not in operation.attributes
    statements = [s for s in registered if s.attributes.get("hanaro.system") == "graph"]
    assert any(s.name == "recipients.insert_recipient" for s in statements), names
    assert all(s.kind == SpanKind.CLIENT for s in statements)
    calls = [s for s in searched if s.attributes.get("hanaro.system") == "search"]
    assert [s.name for s in calls] == ["search"], [s.name for s in searched]

    said = " ".join(everything_said(span) for span in [*registered, *searched])
    for forbidden in (NAME, NATIONAL_ID, "010-1234-5678", "graphql.param", "mutation Register"):
        assert forbidden not in said, forbidden


async def test_a_callers_trace_is_continued(api, spans):
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    await api.client.post(
        "/graphql",
        json={"query": "{ needs { code } }"},
        headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"},
    )
    finished = spans.get_finished_spans()
    # Background jobs (the search sync, the periodic jobs) trace in traces of their own.
    [root] = [span for span in finished if span.name == "POST /graphql"]
    assert format(root.context.trace_id, "032x") == trace_id
    assert root.parent is not None and root.parent.span_id == 0x00F067AA0BA902B7
    request = [s for s in finished if format(s.context.trace_id, "032x") == trace_id]
    assert len(request) > 1  # the operation's spans went with it


async def test_a_failing_statement_keeps_its_message_out(api, tokens, spans):
    """An engine's message may quote a parameter: the span keeps the exception's type only."""
    await api.ok(REGISTER, {"input": person()}, tokens["owner"])
    spans.clear()
    graph = api.runtime.backends.graph
    with pytest.raises(Exception):  # noqa: B017 - whichever the engine raises
        await graph.run("RETURN $x AS broken ORDER BY", {"x": NATIONAL_ID})
    # Background jobs trace statements of their own (named for their graph/ functions).
    [span] = [s for s in spans.get_finished_spans() if s.name == "other"]
    assert not span.status.is_ok
    assert NATIONAL_ID not in everything_said(span)


def test_tracing_is_off_by_default():
    assert Settings.from_env({}).tracing is False
    on = Settings.from_env({"HANARO_OTLP_ENDPOINT": "http://collector:4318/v1/traces"})
    assert on.tracing and on.otlp_endpoint == "http://collector:4318/v1/traces"
    assert Settings.from_env({"HANARO_TRACING": "on"}).otlp_endpoint is None


def test_spans_leave_over_otlp_only_with_an_endpoint():
    """A collector on loopback receives the spans (OTLP/HTTP, protobuf) when the server
    stops; without an endpoint nothing is sent anywhere."""
    assert Telemetry.create(tracing=False).tracer_provider is None
    received: list[tuple[str, str, bytes]] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, self.headers["Content-Type"], body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_port}/v1/traces"
        telemetry = Telemetry.create(tracing=True, endpoint=endpoint)
        with telemetry.calls.observe("graph", "referrals.accept_referral"):
            pass
        telemetry.shutdown()
    finally:
        server.shutdown()
    [(path, content_type, body)] = received
    assert path == "/v1/traces" and content_type == "application/x-protobuf"
    assert b"referrals.accept_referral" in body
