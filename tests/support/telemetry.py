"""OpenTelemetry's SDK with in-memory exporters, to read what pyriver.otel emitted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Span, SpanContext

import pyriver.otel


@dataclass
class Telemetry:
    """A tracer and meter provider of their own (never the global ones),
    and what they recorded."""

    spans: InMemorySpanExporter = field(default_factory=InMemorySpanExporter)
    metrics: InMemoryMetricReader = field(default_factory=InMemoryMetricReader)

    def __post_init__(self) -> None:
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.meter_provider = MeterProvider(metric_readers=[self.metrics])

    def middleware(self, **options: Any) -> pyriver.otel.Middleware:
        return pyriver.otel.Middleware(
            tracer_provider=self.tracer_provider, meter_provider=self.meter_provider, **options
        )

    def finished(self, name_prefix: str = "river.") -> list[ReadableSpan]:
        return [span for span in self.spans.get_finished_spans() if span.name.startswith(name_prefix)]

    def points(self, name: str) -> list[tuple[dict[str, Any], Any]]:
        """The data points of a metric: (attributes, value or histogram count)."""
        data = self.metrics.get_metrics_data()
        found = []
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name != name:
                        continue
                    for point in metric.data.data_points:
                        value = point.count if isinstance(point, HistogramDataPoint) else getattr(point, "value")
                        found.append((dict(point.attributes or {}), value))
        return found

    def unit_of(self, name: str) -> str | None:
        data = self.metrics.get_metrics_data()
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        return metric.unit
        return None


def context_of(span: ReadableSpan | Span) -> SpanContext:
    context = span.get_span_context()
    assert context is not None
    return context


def traceparent(span: ReadableSpan) -> str:
    """The W3C traceparent header of a span."""
    context = context_of(span)
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"
