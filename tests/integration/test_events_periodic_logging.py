"""Events, periodic jobs and River's logs on Python's logging, on both
drivers."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

import pyriver
from pyriver import EventKind, InsertOpts, Job, JobState, PeriodicJob, QueueConfig, Workers
from support.databases import Database
from support.waiting import wait_for, wait_until_finalized


@dataclasses.dataclass
class Tick:
    kind = "tick"
    label: str


@pytest.fixture
def ticks() -> list[str]:
    return []


@pytest.fixture
def workers(ticks: list[str]) -> Workers:
    workers = Workers()

    @workers.handler(Tick)
    def tick(job: Job[Tick]) -> None:
        ticks.append(job.args.label)
        if job.args.label == "fail":
            raise RuntimeError("tick failed")
        if job.args.label == "snooze":
            raise pyriver.JobSnooze(timedelta(hours=1))

    return workers


def started(database: Database, workers: Workers, **config: Any) -> pyriver.Client:
    client = pyriver.Client(
        database.url, workers=workers, queues={"default": QueueConfig(max_workers=4)}, fetch_poll_interval=0.1, **config
    )
    client.migrate()
    client.start()
    return client


def test_events_report_jobs_and_queues_with_stats(database: Database, workers: Workers) -> None:
    client = started(database, workers)
    try:
        with client.subscribe() as events:
            ids = [client.insert(Tick(label), InsertOpts(max_attempts=1)).job.id for label in ["ok", "fail", "snooze"]]
            client.queue_pause("default")
            client.queue_resume("default")
            seen: dict[EventKind, list[pyriver.Event]] = {}
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not {
                EventKind.JOB_COMPLETED,
                EventKind.JOB_FAILED,
                EventKind.JOB_SNOOZED,
                EventKind.QUEUE_PAUSED,
                EventKind.QUEUE_RESUMED,
            } <= set(seen):
                event = events.next(1)
                if event is not None:
                    seen.setdefault(event.kind, []).append(event)
    finally:
        client.stop()
        client.close()
    completed = seen[EventKind.JOB_COMPLETED][0]
    assert completed.job is not None and completed.job.id == ids[0] and completed.job.state is JobState.COMPLETED
    assert completed.job_stats is not None and completed.job_stats.run_duration >= timedelta(0)
    assert seen[EventKind.JOB_FAILED][0].job.errors[0].error == "RuntimeError: tick failed"  # type: ignore[union-attr]
    assert seen[EventKind.JOB_SNOOZED][0].job.id == ids[2]  # type: ignore[union-attr]
    assert seen[EventKind.QUEUE_PAUSED][0].queue.name == "default"  # type: ignore[union-attr]


def test_an_unread_subscription_never_blocks_work(database: Database, workers: Workers, ticks: list[str]) -> None:
    client = started(database, workers)
    try:
        ignored = client.subscribe(EventKind.JOB_COMPLETED)
        ids = [r.job.id for r in client.insert_many([Tick(str(n)) for n in range(1_500)])]
        jobs = wait_until_finalized(client, ids, timeout=120)
        assert all(job.state is JobState.COMPLETED for job in jobs)
        received = sum(1 for _ in iter(lambda: ignored.next(0.2), None))
        assert 0 < received <= 1_000  # River's buffer; the rest were dropped, not waited for
        ignored.close()
    finally:
        client.stop()
        client.close()


def test_subscribe_rejects_unknown_kinds(database: Database, workers: Workers) -> None:
    with pyriver.Client(database.url, workers=workers) as client:
        with pytest.raises(pyriver.InvalidArgumentError):
            client.subscribe("job_exploded")


def test_periodic_jobs_interval_cron_and_run_on_start(database: Database, workers: Workers, ticks: list[str]) -> None:
    client = started(database, workers, periodic_jobs=[PeriodicJob(timedelta(seconds=1), Tick("interval"))])
    try:
        handle = client.periodic_jobs.add(PeriodicJob("* * * * *", Tick("cron"), run_on_start=True))
        wait_for(lambda: ticks.count("interval") >= 2 and "cron" in ticks, timeout=30, what="periodic ticks")
        client.periodic_jobs.remove(handle)
        client.periodic_jobs.clear()
        time.sleep(1.5)
        settled = len(ticks)
        time.sleep(2.5)
        assert len(ticks) <= settled + 1  # at most one tick already enqueued when cleared
    finally:
        client.stop()
        client.close()


def test_each_tick_is_enqueued_once_with_two_clients(database: Database, workers: Workers, ticks: list[str]) -> None:
    periodic = [PeriodicJob(timedelta(seconds=1), Tick("shared"))]
    first = started(database, workers, periodic_jobs=periodic)
    second = started(database, workers, periodic_jobs=periodic)
    try:
        # Leader election and the enqueuer's staggered start take a few seconds.
        wait_for(lambda: len(ticks) >= 4, timeout=60, what="four periodic ticks")
    finally:
        for client in (first, second):
            client.stop()
    with pyriver.Client(database.url) as reader:
        scheduled = sorted(job.scheduled_at for job in reader.job_list(kinds=["tick"], limit=1000).jobs)
    for client in (first, second):
        client.close()
    assert len(scheduled) >= 4
    gaps = [later - earlier for earlier, later in zip(scheduled, scheduled[1:])]
    assert all(gap >= timedelta(milliseconds=500) for gap in gaps), gaps  # never two enqueues of one tick


def test_bad_periodic_schedules_are_rejected(database: Database, workers: Workers) -> None:
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        pyriver.Client(database.url, workers=workers, periodic_jobs=[PeriodicJob("every tuesday", Tick("x"))])
    assert info.value.param == "schedule"
    with pytest.raises(pyriver.InvalidArgumentError):
        pyriver.Client(database.url, workers=workers, periodic_jobs=[PeriodicJob(timedelta(0), Tick("x"))])


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def captured() -> Iterator[Capture]:
    logger = logging.getLogger("pyriver")
    handler, level = Capture(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_river_logs_reach_python_logging(
    database: Database, workers: Workers, captured: Capture, capfd: pytest.CaptureFixture[str]
) -> None:
    client = started(database, workers)
    try:
        client.insert(Tick("fail"), InsertOpts(max_attempts=1))
        wait_for(
            lambda: any("job_id" in record.__dict__ for record in captured.records), timeout=30, what="a River log"
        )
    finally:
        client.stop()
        client.close()
    record = next(record for record in captured.records if "job_id" in record.__dict__)
    assert record.name == "pyriver" and record.levelno in (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)
    assert record.river["job_kind"] == "tick"  # type: ignore[attr-defined]
    # A plain log format shows which job it was, as slog's text handler would.
    assert f"job_id={record.river['job_id']}" in record.getMessage() and "job_kind=tick" in record.getMessage()  # type: ignore[attr-defined]
    assert {r.levelno for r in captured.records} & {logging.DEBUG, logging.INFO}
    out, err = capfd.readouterr()
    assert "river" not in (out + err).lower()  # nothing from Go on stdout/stderr


def test_events_as_an_async_iterator(database: Database, workers: Workers) -> None:
    client = started(database, workers)

    async def first_completed(subscription: pyriver.Subscription) -> pyriver.Event:
        async for event in subscription:
            return event
        raise AssertionError("subscription ended without an event")

    try:
        with client.subscribe(EventKind.JOB_COMPLETED) as events:
            job = client.insert(Tick("async")).job
            event = asyncio.run(asyncio.wait_for(first_completed(events), 30))
    finally:
        client.stop()
        client.close()
    assert event.kind is EventKind.JOB_COMPLETED and event.job is not None and event.job.id == job.id
