"""OpenTelemetry spans and metrics for inserts and Python workers, as River's
``otelriver`` middleware emits them for Go (``github.com/riverqueue/rivercontrib/otelriver``).

One :class:`Middleware` serves both sides::

    otel = pyriver.otel.Middleware(enable_trace_propagation=True)
    client = pyriver.Client(url, workers=workers, insert_middleware=[otel], middleware=[otel])

Span names, attributes, metric names and units are otelriver's, so one
dashboard covers Go and Python workers. With ``enable_trace_propagation`` an
insert writes W3C trace context (``traceparent``, ``tracestate``) at the top
of the job's metadata, where otelriver reads it, and working a job links its
span to the span that inserted it, whichever language did either.

Needs ``opentelemetry-api`` (``pip install "pyriver[otel]"``); without an SDK
configured, spans and metrics are no-ops, as with any instrumented library.

As insert middleware it is an :class:`~pyriver.InsertWrapper`: it wraps each
insert call (``insert``, ``insert_many``, ``insert_many_fast``, in a
transaction or on the application's connection) without a second pass
through River, and River's insert writes the trace context into each job's
metadata after filling it in, where otelriver does.

Not covered: periodic jobs are inserted by River's enqueuer in Go and carry
no trace context; River's ``job_get_available`` metrics come from River's
producer hook, which only otelriver in a Go client can emit.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

try:
    from opentelemetry import metrics, trace
    from opentelemetry.context import Context
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
except ImportError as _missing:  # pragma: no cover - depends on the environment
    raise ImportError('pyriver.otel needs opentelemetry-api: pip install "pyriver[otel]"') from _missing

from ._version import __version__
from .insert_middleware import InsertBatch
from .types import JobInsertResult
from .workers import Job, JobCancel, JobSnooze

__all__ = ["Middleware"]

INSTRUMENTATION_NAME = "pyriver.otel"
PREFIX = "river."
_MESSAGING_SYSTEM = "river"
# otelriver injects with the W3C propagator itself, whatever the global one is.
_PROPAGATOR = TraceContextTextMapPropagator()
# Go's time.RFC3339 for River's times, which are UTC.
_RFC3339 = "%Y-%m-%dT%H:%M:%SZ"
_OK = trace.Status(trace.StatusCode.OK)


class Middleware:
    """River's ``otelriver.Middleware`` for Python: insert middleware (spans
    ``river.insert_many``) and worker middleware (spans ``river.work``, or
    ``river.work/<kind>`` with ``enable_work_span_job_kind_suffix``).

    Options are otelriver's ``MiddlewareConfig`` fields: ``duration_unit``
    is ``"s"`` (default) or ``"ms"``; ``enable_semantic_metrics`` adds the
    messaging semantic-convention metrics; ``enable_trace_propagation``
    writes and reads trace context in job metadata; the providers default to
    OpenTelemetry's global ones.
    """

    def __init__(
        self,
        *,
        duration_unit: str = "s",
        enable_semantic_metrics: bool = False,
        enable_trace_propagation: bool = False,
        enable_work_span_job_kind_suffix: bool = False,
        meter_provider: metrics.MeterProvider | None = None,
        tracer_provider: trace.TracerProvider | None = None,
    ) -> None:
        if duration_unit not in ("s", "ms"):
            raise ValueError(f'duration_unit must be "s" or "ms", not {duration_unit!r}')
        self._duration_unit = duration_unit
        self._semantic = enable_semantic_metrics
        self._propagate = enable_trace_propagation
        self._kind_suffix = enable_work_span_job_kind_suffix
        self._tracer = trace.get_tracer(INSTRUMENTATION_NAME, __version__, tracer_provider)
        meter = metrics.get_meter(INSTRUMENTATION_NAME, __version__, meter_provider)
        self._instruments = _Instruments(meter, duration_unit, enable_semantic_metrics)

    # --- inserts -------------------------------------------------------------

    def wrap_insert(
        self, batch: InsertBatch, do_inner: Callable[[], list[JobInsertResult] | int]
    ) -> list[JobInsertResult] | int:
        """An :class:`~pyriver.InsertWrapper`: the span of one insert call,
        whose context River writes into every job's metadata."""
        with self._tracer.start_as_current_span(
            PREFIX + "insert_many", kind=trace.SpanKind.PRODUCER, record_exception=False, set_status_on_exception=False
        ) as span:
            if self._propagate:
                _PROPAGATOR.inject(batch.set_metadata)
            begin = time.perf_counter()
            results: list[JobInsertResult] | int = []
            status = "error"
            try:
                results = do_inner()
                status = _set_status(span, None)
                return results
            except BaseException as error:
                _set_status(span, error)
                raise
            finally:
                self._record_insert(span, batch, results, status, time.perf_counter() - begin)

    def _record_insert(
        self, span: trace.Span, batch: InsertBatch, results: list[JobInsertResult] | int, status: str, seconds: float
    ) -> None:
        # insert_many_fast returns a count: as River's rows there are nil, none is a duplicate.
        rows = () if isinstance(results, int) else results
        skipped = sum(1 for result in rows if result.unique_skipped_as_duplicate)
        jobs = len(batch.kinds)
        span.set_attributes(
            {"status": status, "kinds": sorted(set(batch.kinds)), "unique_skipped_as_duplicate_count": skipped}
        )
        attributes = {"status": status}
        duration = self._duration(seconds)
        instruments = self._instruments
        if jobs - skipped > 0:
            instruments.insert_count.add(jobs - skipped, {**attributes, "unique_skipped_as_duplicate": False})
        if skipped > 0:
            instruments.insert_count.add(skipped, {**attributes, "unique_skipped_as_duplicate": True})
        instruments.insert_many_count.add(1, attributes)
        instruments.insert_many_duration.set(duration, attributes)
        instruments.insert_many_duration_histogram.record(duration, attributes)
        if self._semantic:
            semantic = {"messaging.operation.name": "insert_many", "messaging.system": _MESSAGING_SYSTEM}
            instruments.semantic_operation_duration.record(duration, semantic)
            instruments.semantic_sent_messages.add(jobs, semantic)

    # --- work ----------------------------------------------------------------

    def work(self, job: Job[Any], do_inner: Callable[[], Any]) -> Any:
        """Work the job inside a ``river.work`` span linked to the span
        that inserted it, and record the work metrics."""
        name = f"{PREFIX}work/{job.row.kind}" if self._kind_suffix else PREFIX + "work"
        links: list[trace.Link] = []
        if self._propagate:
            enqueuing = _enqueuing_span_context(job.row.metadata)
            if enqueuing is not None:
                # A link, not a parent: a job may run hours after its insert.
                links.append(trace.Link(enqueuing))
        with self._tracer.start_as_current_span(
            name, kind=trace.SpanKind.CONSUMER, links=links, record_exception=False, set_status_on_exception=False
        ) as span:
            begin = time.perf_counter()
            outcome: dict[str, Any] = {}
            try:
                result = do_inner()
            except BaseException as error:
                outcome = _failed_work(span, error)
                raise
            else:
                outcome = {"status": _set_status(span, None)}
                return result
            finally:
                self._record_work(span, job, outcome, time.perf_counter() - begin)

    def _record_work(self, span: trace.Span, job: Job[Any], outcome: dict[str, Any], seconds: float) -> None:
        row = job.row
        attributes = {
            "attempt": row.attempt,
            "kind": row.kind,
            "priority": row.priority,
            "queue": row.queue,
            "tag": tuple(row.tags),
            **outcome,
        }
        # Higher-cardinality attributes go on the span only, as otelriver keeps them out of metrics.
        span.set_attributes(
            {
                "id": row.id,
                "created_at": row.created_at.strftime(_RFC3339),
                "scheduled_at": row.scheduled_at.strftime(_RFC3339),
                **attributes,
            }
        )
        duration = self._duration(seconds)
        instruments = self._instruments
        instruments.work_count.add(1, attributes)
        instruments.work_duration.set(duration, attributes)
        instruments.work_duration_histogram.record(duration, attributes)
        if self._semantic:
            semantic = {"messaging.operation.name": "work", "messaging.system": _MESSAGING_SYSTEM}
            instruments.semantic_consumed_messages.add(1, semantic)
            instruments.semantic_operation_duration.record(duration, semantic)
            instruments.semantic_process_duration.record(duration, semantic)

    def _duration(self, seconds: float) -> float:
        # otelriver reports whole milliseconds (Go's Duration.Milliseconds).
        return float(int(seconds * 1000)) if self._duration_unit == "ms" else seconds


class _Instruments:
    """otelriver's metrics, with its names, descriptions and units."""

    def __init__(self, meter: metrics.Meter, unit: str, semantic: bool) -> None:
        self.insert_count = meter.create_counter(PREFIX + "insert_count", "{job}", "Number of jobs inserted")
        self.insert_many_count = meter.create_counter(
            PREFIX + "insert_many_count",
            "{job_batch}",
            "Number of job batches inserted (all jobs are inserted in a batch, but batches may be one job)",
        )
        self.insert_many_duration = meter.create_gauge(
            PREFIX + "insert_many_duration", unit, "Duration of job batch insertion"
        )
        self.insert_many_duration_histogram = meter.create_histogram(
            PREFIX + "insert_many_duration_histogram", unit, "Duration of job batch insertion (histogram)"
        )
        self.work_count = meter.create_counter(PREFIX + "work_count", "{job}", "Number of jobs worked")
        self.work_duration = meter.create_gauge(PREFIX + "work_duration", unit, "Duration of job being worked")
        self.work_duration_histogram = meter.create_histogram(
            PREFIX + "work_duration_histogram", unit, "Duration of job being worked (histogram)"
        )
        if semantic:
            self.semantic_consumed_messages = meter.create_counter(
                "messaging.client.consumed.messages",
                description="Number of messages that were delivered to the application.",
            )
            self.semantic_operation_duration = meter.create_histogram(
                "messaging.client.operation.duration",
                unit,
                "Duration of messaging operation initiated by a producer or consumer client.",
            )
            self.semantic_sent_messages = meter.create_counter(
                "messaging.client.sent.messages",
                description="Number of messages producer attempted to send to the broker.",
            )
            self.semantic_process_duration = meter.create_histogram(
                "messaging.process.duration", unit, "Duration of processing operation."
            )


def _set_status(span: trace.Span, error: BaseException | None) -> str:
    """otelriver's status: a snooze is flow control, not a failure."""
    if error is None or isinstance(error, JobSnooze):
        span.set_status(_OK)
        return "ok"
    span.set_status(trace.StatusCode.ERROR, f"{type(error).__name__}: {error}")
    return "error"


def _failed_work(span: trace.Span, error: BaseException) -> dict[str, Any]:
    """The status and otelriver's cancel/snooze attributes of a handler that raised."""
    outcome: dict[str, Any] = {"status": _set_status(span, error)}
    if isinstance(error, JobCancel):
        outcome["cancel"] = True
    elif isinstance(error, JobSnooze):
        outcome["snooze"] = True
        span.set_attribute("snooze.duration", go_duration(round(error.seconds * 1e9)))
    else:
        span.record_exception(error)  # the traceback, as Python instrumentations record it
    return outcome


def _enqueuing_span_context(metadata: bytes) -> trace.SpanContext | None:
    """The span context written into the metadata at insert, if any."""
    if b"traceparent" not in metadata:
        return None
    try:
        decoded = json.loads(metadata)
    except ValueError:
        return None
    if not isinstance(decoded, dict):
        return None
    carrier = {key: value for key, value in decoded.items() if isinstance(value, str)}
    # An empty context: only the metadata's span, never the current one, may be linked.
    extracted = trace.get_current_span(_PROPAGATOR.extract(carrier, context=Context()))
    context = extracted.get_span_context()
    return context if context.is_valid else None


def go_duration(nanoseconds: int) -> str:
    """Go's ``time.Duration.String`` (``1m30s``, ``1.5s``, ``250ms``), as
    otelriver writes ``snooze.duration``."""
    if nanoseconds == 0:
        return "0s"
    sign, value = ("-" if nanoseconds < 0 else ""), abs(nanoseconds)
    if value < 1_000_000_000:
        for size, unit in ((1_000_000, "ms"), (1_000, "µs"), (1, "ns")):
            if value >= size:
                return sign + _decimal(value, size) + unit
    hours, rest = divmod(value, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if hours or minutes else "")
    return sign + text + _decimal(rest, 1_000_000_000) + "s"


def _decimal(value: int, size: int) -> str:
    """value/size written exactly, without trailing zeros."""
    whole, fraction = divmod(value, size)
    digits = str(fraction).rjust(len(str(size)) - 1, "0").rstrip("0")
    return f"{whole}.{digits}" if digits else str(whole)
