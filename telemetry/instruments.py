"""One runtime's instruments together: its metrics, its tracer provider (None when tracing is
off) and the observer its engines report their calls to."""

from __future__ import annotations

from dataclasses import dataclass, field

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.trace import Tracer

from telemetry.calls import CallObserver
from telemetry.metrics import Metrics
from telemetry.tracing import make_tracer_provider

__all__ = ["Telemetry"]


@dataclass
class Telemetry:
    metrics: Metrics = field(default_factory=Metrics)
    tracer_provider: TracerProvider | None = None
    # The observer of graph statements and search calls.
    calls: CallObserver = field(init=False)

    def __post_init__(self) -> None:
        self.calls = CallObserver(self.metrics, self.tracer("hanaro.engines"))

    @classmethod
    def create(
        cls, *, tracing: bool = False, endpoint: str | None = None, sample_ratio: float = 1.0
    ) -> Telemetry:
        """`endpoint`: where spans go over OTLP/HTTP; without one, tracing on makes spans for
        the exporters a caller adds (tests)."""
        provider = (
            make_tracer_provider(endpoint=endpoint, sample_ratio=sample_ratio) if tracing else None
        )
        return cls(Metrics(), provider)

    def tracer(self, name: str) -> Tracer | None:
        return None if self.tracer_provider is None else self.tracer_provider.get_tracer(name)

    def shutdown(self) -> None:
        """Send the spans still buffered (a server stopping)."""
        if self.tracer_provider is not None:
            self.tracer_provider.shutdown()
