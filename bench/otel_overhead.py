"""What pyriver.otel costs: the same inserts and no-op work with its
middleware off and on, in interleaved pairs; the median of the pairs'
ratios (this machine's speed drifts by more than the effect between runs
minutes apart).

The middleware runs on OpenTelemetry's SDK as an application would set it
up: every span sampled and handed to a batch processor (whose exporter drops
them, so that only the instrumentation is timed, not an exporter's I/O), and
every metric recorded by a meter provider with a reader.
"""

from __future__ import annotations

import statistics

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

import pyriver.otel

REPETITIONS = 4


class _Dropped(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


@dataclass
class Overhead:
    metric: str
    off: float
    on: float
    ratio: float


def middleware() -> pyriver.otel.Middleware:
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(BatchSpanProcessor(_Dropped()))
    meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])
    return pyriver.otel.Middleware(
        enable_trace_propagation=True, tracer_provider=tracer_provider, meter_provider=meter_provider
    )


def measure(cases: dict[str, tuple[int, Callable[..., float], str]]) -> list[Overhead]:
    """cases: metric → (jobs, run(**client_options) → seconds, the option
    that takes the middleware). Rates in jobs/s."""
    rows = []
    for metric, (jobs, run, option) in cases.items():
        off: list[float] = []
        on: list[float] = []
        for _ in range(REPETITIONS):
            off.append(jobs / run())
            on.append(jobs / run(**{option: [middleware()]}))
        ratios = [with_it / without for with_it, without in zip(on, off)]
        rows.append(Overhead(metric, statistics.median(off), statistics.median(on), statistics.median(ratios)))
    return rows


def table(rows: list[Overhead]) -> str:
    lines = [
        "| measurement (PostgreSQL) | off, jobs/s (median) | on, jobs/s (median) | on / off (median of pairs) |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {row.metric} | {row.off:,.0f} | {row.on:,.0f} | {row.ratio:.2f}× |" for row in rows]
    return "\n".join(lines)


def as_dicts(rows: list[Overhead]) -> list[dict[str, Any]]:
    return [row.__dict__ for row in rows]
