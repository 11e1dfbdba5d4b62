"""pyriver.otel: otelriver's spans and metrics for inserts and Python
workers, read back from OpenTelemetry's SDK with in-memory exporters."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from opentelemetry.trace import SpanKind, StatusCode

import pyriver
import pyriver.otel
from pyriver import (
    InsertOpts,
    Job,
    JobCancel,
    JobSnooze,
    JobState,
    QueueConfig,
    UniqueOpts,
    Workers,
)
from support.databases import Database
from support.jobargs import AnyKind, SendEmail
from support.stamps import StampMetadata
from support.telemetry import Telemetry, context_of, traceparent
from support.waiting import wait_until_finalized


@pytest.fixture
def telemetry() -> Telemetry:
    return Telemetry()


def test_an_insert_is_a_producer_span_with_otelrivers_attributes_and_metrics(
    client: pyriver.Client, database: Database, telemetry: Telemetry
) -> None:
    otel = telemetry.middleware()
    unique = InsertOpts(unique_opts=UniqueOpts(by_args=True))
    with pyriver.Client(database.url, insert_middleware=[otel]) as traced:
        traced.insert(SendEmail("ada"), unique)
        traced.insert_many([SendEmail("ada"), (SendEmail("bo"), unique), AnyKind("audit", n=1)])

    single, batch = telemetry.finished()
    assert (single.name, single.kind) == ("river.insert_many", SpanKind.PRODUCER)
    assert single.status.status_code is StatusCode.OK
    assert dict(single.attributes or {}) == {
        "status": "ok",
        "kinds": ("send_email",),
        "unique_skipped_as_duplicate_count": 0,
    }
    assert dict(batch.attributes or {})["kinds"] == ("audit", "send_email")
    assert dict(batch.attributes or {})["unique_skipped_as_duplicate_count"] == 0
    assert sorted(telemetry.points("river.insert_count"), key=str) == [
        ({"status": "ok", "unique_skipped_as_duplicate": False}, 4)
    ]
    assert telemetry.points("river.insert_many_count") == [({"status": "ok"}, 2)]
    assert telemetry.points("river.insert_many_duration_histogram") == [({"status": "ok"}, 2)]
    assert telemetry.unit_of("river.insert_many_duration") == "s"
    assert telemetry.unit_of("river.insert_count") == "{job}"


def test_a_unique_duplicate_is_counted_apart(database: Database, client: pyriver.Client, telemetry: Telemetry) -> None:
    unique = InsertOpts(unique_opts=UniqueOpts(by_args=True))
    client.insert(SendEmail("ada"), unique)
    with pyriver.Client(database.url, insert_middleware=[telemetry.middleware()]) as traced:
        assert traced.insert(SendEmail("ada"), unique).unique_skipped_as_duplicate
    (span,) = telemetry.finished()
    assert dict(span.attributes or {})["unique_skipped_as_duplicate_count"] == 1
    assert telemetry.points("river.insert_count") == [({"status": "ok", "unique_skipped_as_duplicate": True}, 1)]


def test_a_failed_insert_is_an_error_span(database: Database, telemetry: Telemetry) -> None:
    # Never migrated: River's insert fails in the database.
    with pyriver.Client(database.url, insert_middleware=[telemetry.middleware()]) as traced:
        with pytest.raises(pyriver.DatabaseError):
            traced.insert(SendEmail("ada"))
    (span,) = telemetry.finished()
    assert span.status.status_code is StatusCode.ERROR
    assert "DatabaseError" in (span.status.description or "")
    assert telemetry.points("river.insert_many_count") == [({"status": "error"}, 1)]
    assert telemetry.points("river.insert_count") == [({"status": "error", "unique_skipped_as_duplicate": False}, 1)]


def test_trace_context_goes_into_metadata_where_otelriver_reads_it(
    client: pyriver.Client, database: Database, telemetry: Telemetry
) -> None:
    tracer = telemetry.tracer_provider.get_tracer("app")
    with pyriver.Client(
        database.url, insert_middleware=[telemetry.middleware(enable_trace_propagation=True)]
    ) as traced:
        with tracer.start_as_current_span("request") as request:
            job = traced.insert(SendEmail("ada"), InsertOpts(metadata={"tenant": "acme"})).job
        untraced = traced.insert(SendEmail("bo")).job  # no current span: still an insert span of its own

    insert_span, _request, untraced_span = telemetry.finished("")
    assert insert_span.parent is not None and insert_span.parent.span_id == context_of(request).span_id
    metadata = json.loads(client.job_get(job.id).metadata)
    assert metadata["tenant"] == "acme" and metadata["traceparent"] == traceparent(insert_span)
    assert json.loads(client.job_get(untraced.id).metadata)["traceparent"] == traceparent(untraced_span)


def test_without_propagation_metadata_is_left_alone(database: Database, telemetry: Telemetry) -> None:
    with pyriver.Client(database.url, insert_middleware=[telemetry.middleware()]) as traced:
        traced.migrate()
        job = traced.insert(SendEmail("ada")).job
    assert "traceparent" not in json.loads(job.metadata)


def _work_all(database: Database, workers: Workers, jobs: list[Any], **options: Any) -> list[pyriver.JobRow]:
    with pyriver.Client(
        database.url,
        workers=workers,
        queues={"default": QueueConfig(max_workers=4)},
        fetch_poll_interval=0.05,
        fetch_cooldown=0.01,
        **options,
    ) as client:
        client.migrate()
        ids = [result.job.id for result in client.insert_many(jobs)]
        client.start()
        try:
            return wait_until_finalized(client, ids)
        finally:
            client.stop(timeout=5)


def test_each_worked_job_is_a_consumer_span_with_its_outcome(database: Database, telemetry: Telemetry) -> None:
    workers = Workers()
    snoozed_once = threading.Event()  # a snooze does not count as an attempt: job.attempt stays 1

    @workers.handler("otel_outcome")
    def outcome(job: Job[dict[str, Any]]) -> None:
        match job.args["then"]:
            case "fail":
                raise RuntimeError("upstream down")
            case "snooze":
                if not snoozed_once.is_set():
                    snoozed_once.set()
                    raise JobSnooze(timedelta(milliseconds=1500))
            case "cancel":
                raise JobCancel("not wanted")

    otel = telemetry.middleware()
    opts = InsertOpts(max_attempts=1, tags=["tag1", "tag2"], priority=2)
    rows = _work_all(
        database,
        workers,
        [(AnyKind("otel_outcome", then=then), opts) for then in ("ok", "fail", "snooze", "cancel")],
        middleware=[otel],
    )
    assert [row.state for row in rows] == [
        JobState.COMPLETED,
        JobState.DISCARDED,
        JobState.COMPLETED,
        JobState.CANCELLED,
    ]

    spans = {(span.attributes or {})["id"]: span for span in telemetry.finished()}
    ok, failed, cancelled = (spans[row.id] for row in (rows[0], rows[1], rows[3]))
    assert all(span.name == "river.work" and span.kind is SpanKind.CONSUMER for span in spans.values())
    assert ok.status.status_code is StatusCode.OK
    assert {
        key: value for key, value in (ok.attributes or {}).items() if key not in ("created_at", "scheduled_at")
    } == {
        "id": rows[0].id,
        "attempt": 1,
        "kind": "otel_outcome",
        "priority": 2,
        "queue": "default",
        "status": "ok",
        "tag": ("tag1", "tag2"),
    }
    assert (ok.attributes or {})["created_at"] == rows[0].created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert failed.status.status_code is StatusCode.ERROR
    assert failed.status.description == "RuntimeError: upstream down"
    assert [event.name for event in failed.events] == ["exception"]
    assert (cancelled.attributes or {})["cancel"] is True
    assert (cancelled.attributes or {})["status"] == "error"

    # The snoozed job was worked twice: a snooze, then a success.
    snoozed = [span for span in telemetry.finished() if (span.attributes or {})["id"] == rows[2].id]
    first = min(snoozed, key=lambda span: span.start_time or 0)
    assert first.status.status_code is StatusCode.OK
    assert (first.attributes or {})["snooze"] is True
    assert (first.attributes or {})["snooze.duration"] == "1.5s"

    counts = sorted(
        (attributes["status"], attributes.get("cancel", False), attributes.get("snooze", False), count)
        for attributes, count in telemetry.points("river.work_count")
    )
    # ok twice: the first job and the snoozed job's second run.
    assert counts == [
        ("error", False, False, 1),
        ("error", True, False, 1),
        ("ok", False, False, 2),
        ("ok", False, True, 1),
    ]
    assert telemetry.unit_of("river.work_duration_histogram") == "s"


def test_the_handler_runs_inside_the_work_span_and_it_links_to_the_insert(
    database: Database, telemetry: Telemetry
) -> None:
    workers = Workers()
    tracer = telemetry.tracer_provider.get_tracer("handler")

    @workers.handler("otel_sync")
    def sync_handler(job: Job[dict[str, Any]]) -> None:
        with tracer.start_as_current_span("handler.sync"):
            pass

    @workers.handler("otel_async")
    async def async_handler(job: Job[dict[str, Any]]) -> None:
        with tracer.start_as_current_span("handler.async"):
            pass

    otel = telemetry.middleware(enable_trace_propagation=True, enable_work_span_job_kind_suffix=True)
    _work_all(
        database,
        workers,
        [AnyKind("otel_sync"), AnyKind("otel_async")],
        middleware=[otel],
        insert_middleware=[otel],
    )
    spans = {span.name: span for span in telemetry.finished("")}
    (insert,) = [span for span in spans.values() if span.name == "river.insert_many"]
    for kind in ("sync", "async"):
        work, inner = spans[f"river.work/otel_{kind}"], spans[f"handler.{kind}"]
        assert inner.parent is not None and inner.parent.span_id == context_of(work).span_id
        assert work.parent is None  # a trace of its own, linked to the insert
        assert [link.context.span_id for link in work.links] == [context_of(insert).span_id]
        assert [link.context.trace_id for link in work.links] == [context_of(insert).trace_id]


def test_semantic_convention_metrics_and_milliseconds(database: Database, telemetry: Telemetry) -> None:
    workers = Workers()
    workers.add("otel_noop", lambda job: None)
    otel = telemetry.middleware(enable_semantic_metrics=True, duration_unit="ms")
    _work_all(database, workers, [AnyKind("otel_noop")] * 3, middleware=[otel], insert_middleware=[otel])
    assert telemetry.points("messaging.client.sent.messages") == [
        ({"messaging.operation.name": "insert_many", "messaging.system": "river"}, 3)
    ]
    assert telemetry.points("messaging.client.consumed.messages") == [
        ({"messaging.operation.name": "work", "messaging.system": "river"}, 3)
    ]
    assert telemetry.unit_of("messaging.process.duration") == "ms"
    assert telemetry.unit_of("river.work_duration") == "ms"
    assert all(float(value).is_integer() for _, value in telemetry.points("river.work_duration"))


def test_a_bad_duration_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="duration_unit"):
        pyriver.otel.Middleware(duration_unit="minutes")


def test_an_async_insert_is_a_child_of_the_callers_span(database: Database, telemetry: Telemetry) -> None:
    async def insert() -> pyriver.JobRow:
        otel = telemetry.middleware(enable_trace_propagation=True)
        async with pyriver.AsyncClient(database.url, insert_middleware=[otel]) as client:
            await client.migrate()
            with telemetry.tracer_provider.get_tracer("app").start_as_current_span("request"):
                return (await client.insert(SendEmail("ada"))).job

    job = asyncio.run(insert())
    insert_span, request = telemetry.finished("")
    assert insert_span.parent is not None and insert_span.parent.span_id == context_of(request).span_id
    assert json.loads(job.metadata)["traceparent"] == traceparent(insert_span)


def test_insert_many_fast_carries_trace_context_too(
    client: pyriver.Client, database: Database, telemetry: Telemetry
) -> None:
    otel = telemetry.middleware(enable_trace_propagation=True)
    with pyriver.Client(database.url, insert_middleware=[otel]) as traced:
        assert traced.insert_many_fast([SendEmail("ada"), AnyKind("audit")]) == 2
    (span,) = telemetry.finished()
    assert dict(span.attributes or {})["kinds"] == ("audit", "send_email")
    assert telemetry.points("river.insert_count") == [({"status": "ok", "unique_skipped_as_duplicate": False}, 2)]
    for job in client.job_list().jobs:
        assert json.loads(job.metadata)["traceparent"] == traceparent(span)


def test_river_style_middleware_runs_inside_and_both_reach_the_row(
    client: pyriver.Client, database: Database, telemetry: Telemetry
) -> None:
    otel = telemetry.middleware(enable_trace_propagation=True)
    with pyriver.Client(database.url, insert_middleware=[StampMetadata(), otel]) as traced:
        job = traced.insert(SendEmail("ada")).job
    (span,) = telemetry.finished()
    metadata = json.loads(client.job_get(job.id).metadata)
    assert metadata["stamped"] is True and metadata["traceparent"] == traceparent(span)
