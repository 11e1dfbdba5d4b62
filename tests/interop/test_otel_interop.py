"""One trace across languages: pyriver.otel and River's otelriver (in an
independent Go program) read each other's trace context in job metadata,
and each side's work span links to the other side's insert span."""

from __future__ import annotations

from typing import Any

import pyriver
import pyriver.otel
from pyriver import Job, QueueConfig, Workers
from support.databases import Database
from support.goprograms import otelcheck
from support.jobargs import AnyKind
from support.telemetry import Telemetry, context_of
from support.waiting import wait_until_finalized


def test_a_go_worker_with_otelriver_links_its_work_span_to_the_python_insert(
    client: pyriver.Client, database: Database
) -> None:
    telemetry = Telemetry()
    otel = telemetry.middleware(enable_trace_propagation=True)
    with pyriver.Client(database.url, insert_middleware=[otel]) as inserter:
        with telemetry.tracer_provider.get_tracer("web").start_as_current_span("POST /orders"):
            inserter.insert(AnyKind("otel_echo", message="from python"))
    (python_insert,) = telemetry.finished()
    inserted = context_of(python_insert)

    go = otelcheck(database.url, "work", "-count", "1")

    (go_work,) = [span for span in go["spans"] if span["name"] == "river.work"]
    assert go_work["kind"] == "consumer" and go_work["status"] == "Ok"
    assert go_work["links"] == [{"trace_id": f"{inserted.trace_id:032x}", "span_id": f"{inserted.span_id:016x}"}]
    assert go_work["attributes"]["kind"] == "otel_echo"


def test_a_python_worker_links_its_work_span_to_the_go_insert(client: pyriver.Client, database: Database) -> None:
    go = otelcheck(database.url, "insert")
    (go_insert,) = [span for span in go["spans"] if span["name"] == "river.insert_many"]
    (go_request,) = [span for span in go["spans"] if span["name"] == "go.request"]
    assert go_insert["parent_span_id"] == go_request["span_id"]

    telemetry = Telemetry()
    workers = Workers()
    seen: list[str] = []

    @workers.handler("otel_echo")
    def echo(job: Job[dict[str, Any]]) -> None:
        seen.append(job.args["message"])

    otel = telemetry.middleware(enable_trace_propagation=True)
    with pyriver.Client(
        database.url, workers=workers, middleware=[otel], queues={"default": QueueConfig(max_workers=2)}
    ) as worker:
        worker.start()
        try:
            wait_until_finalized(worker, [go["job_id"]])
        finally:
            worker.stop(timeout=5)

    (python_work,) = telemetry.finished()
    assert seen == ["from go"]
    assert [(f"{link.context.trace_id:032x}", f"{link.context.span_id:016x}") for link in python_work.links] == [
        (go_insert["trace_id"], go_insert["span_id"])
    ]
