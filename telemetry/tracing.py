"""The tracer provider of one runtime (never the process-wide one, like the metrics registry):
off unless tracing is asked for; spans leave through OTLP over HTTP only when an endpoint is
configured (`HANARO_OTLP_ENDPOINT`), and tests add an in-memory exporter of their own."""

from __future__ import annotations

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

__all__ = ["make_tracer_provider"]


def make_tracer_provider(
    *, endpoint: str | None = None, sample_ratio: float = 1.0, service: str = "hanaro"
) -> TracerProvider:
    """A request that arrives with a `traceparent` follows its caller's sampling decision;
    others are sampled at `sample_ratio`."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": service}),
        sampler=ParentBased(TraceIdRatioBased(sample_ratio)),
    )
    if endpoint:
        # Imported only here: the exporter (and its protobuf) is loaded when it is used.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    return provider
