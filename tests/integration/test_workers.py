"""Python handlers working jobs through River's engine, on both drivers."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import pyriver
from pyriver import testing
from pyriver import InsertOpts, Job, JobState, QueueConfig, Workers
from pyriver._bridge import calls
from support.databases import Database
from support.jobargs import AnyKind
from support.waiting import wait_for, wait_until_finalized


@dataclasses.dataclass
class Add:
    kind = "add"
    a: int
    b: int


@contextmanager
def working(database: Database, workers: Workers, **config: Any) -> Iterator[pyriver.Client]:
    config.setdefault("queues", {"default": QueueConfig(max_workers=4)})
    config.setdefault("fetch_poll_interval", 0.1)
    with pyriver.Client(database.url, workers=workers, **config) as client:
        client.migrate()
        client.start()
        try:
            yield client
        finally:
            client.stop(timeout=5)


def test_handlers_work_jobs_with_typed_and_dict_args(database: Database) -> None:
    workers = Workers()
    seen_threads: set[str] = set()

    @workers.handler(Add)
    def add(job: Job[Add]) -> dict[str, int]:
        seen_threads.add(threading.current_thread().name)
        return {"sum": job.args.a + job.args.b, "attempt": job.attempt}

    @workers.handler("greet")
    async def greet(job: Job[dict[str, Any]]) -> str:
        await asyncio.sleep(0.01)
        return f"hello {job.args['name']}"

    with working(database, workers) as client:
        ids = [client.insert(Add(n, 10)).job.id for n in range(20)] + [
            client.insert(AnyKind("greet", name="ada")).job.id
        ]
        jobs = wait_until_finalized(client, ids)
    assert all(job.state is JobState.COMPLETED for job in jobs)
    assert [job.output for job in jobs[:20]] == [{"sum": n + 10, "attempt": 1} for n in range(20)]
    assert jobs[20].output == "hello ada"
    assert all(name.startswith("pyriver-worker") for name in seen_threads)


def test_outcomes_with_and_without_output_reported_together_each_reach_their_job(database: Database) -> None:
    # Handlers returning None go back to River as bare tokens, the others as
    # outcomes with their output, in the same calls under load.
    workers = Workers()

    @workers.handler(Add)
    def add(job: Job[Add]) -> int | None:
        return None if job.args.a % 2 else job.args.a

    with working(database, workers, queues={"default": QueueConfig(max_workers=20)}) as client:
        ids = [result.job.id for result in client.insert_many([Add(n, 0) for n in range(200)])]
        jobs = wait_until_finalized(client, ids)
    assert all(job.state is JobState.COMPLETED for job in jobs)
    assert [job.output for job in jobs] == [None if n % 2 else n for n in range(200)]


def test_exceptions_become_attempt_errors_with_traceback_and_are_retried(database: Database) -> None:
    workers = Workers()

    def flaky(job: Job[dict[str, Any]]) -> None:
        if job.attempt < 3:
            raise ConnectionError(f"upstream down on attempt {job.attempt}")

    def soon(job: Job[Any]) -> datetime:
        return datetime.now(timezone.utc) + timedelta(milliseconds=50)

    workers.add("flaky", flaky, next_retry=soon)
    workers.add("broken", lambda job: 1 / 0, next_retry=soon)

    with working(database, workers) as client:
        recovers = client.insert(AnyKind("flaky")).job.id
        gives_up = client.insert(AnyKind("broken"), InsertOpts(max_attempts=2)).job.id
        # River writes each traceback with its attempt: it is there as soon
        # as the job is.
        recovered, discarded = wait_until_finalized(client, [recovers, gives_up])
    assert recovered.state is JobState.COMPLETED and recovered.attempt == 3
    assert [e.error for e in recovered.errors] == [
        "ConnectionError: upstream down on attempt 1",
        "ConnectionError: upstream down on attempt 2",
    ]
    assert discarded.state is JobState.DISCARDED and len(discarded.errors) == 2
    assert discarded.errors[0].error == "ZeroDivisionError: division by zero"
    assert "Traceback (most recent call last)" in discarded.errors[0].trace
    assert "ZeroDivisionError" in discarded.errors[0].trace


# Discarded jobs whose only attempt error has a Python traceback.
TRACED_FAILURES = {
    "postgres": "SELECT count(*) FROM river_job WHERE state = 'discarded' AND errors[1]->>'trace' LIKE 'Traceback%'",
    "sqlite": "SELECT count(*) FROM river_job WHERE state = 'discarded' AND errors->>'$[0].trace' LIKE 'Traceback%'",
}


def test_every_failure_keeps_its_traceback_under_load(database: Database) -> None:
    """5,000 failing jobs at 200 workers: River's event stream drops events
    at this rate, and no traceback may depend on it."""
    workers = Workers()
    workers.add("broken", lambda job: 1 / 0)
    jobs = [AnyKind("broken") for _ in range(5000)]
    with working(database, workers, queues={"default": QueueConfig(max_workers=200)}, fetch_cooldown=0.01) as client:
        client.insert_many([pyriver.InsertManyParams(args, InsertOpts(max_attempts=1)) for args in jobs])
        wait_for(lambda: database.job_count_in("discarded") == len(jobs), timeout=120, what="5,000 failures")
    assert int(database.scalar(TRACED_FAILURES[database.driver])) == len(jobs)


def test_snooze_and_cancel(database: Database) -> None:
    workers = Workers()
    workers.add("sleepy", lambda job: (_ for _ in ()).throw(pyriver.JobSnooze(timedelta(hours=1))))
    workers.add("doomed", lambda job: (_ for _ in ()).throw(pyriver.JobCancel("customer deleted")))

    with pyriver.Client(database.url) as client:
        client.migrate()
        cancelled = testing.work_job(client, workers, AnyKind("doomed"))
        snoozed = testing.work_job(client, workers, AnyKind("sleepy"))
    assert cancelled.state is JobState.CANCELLED and cancelled.errors[-1].error == "JobCancelError: customer deleted"
    assert snoozed.state is JobState.SCHEDULED and snoozed.errors == []
    assert snoozed.scheduled_at > datetime.now(timezone.utc) + timedelta(minutes=50)


def test_timeouts_cancel_the_attempt_and_the_handler_sees_it(database: Database) -> None:
    workers = Workers()
    observed: dict[str, Any] = {}

    @workers.handler("slow", timeout=timedelta(milliseconds=300))
    def slow(job: Job[Any]) -> None:
        observed["cancelled"] = job.wait_cancelled(30)
        observed["reason"] = job.cancel_reason

    @workers.handler("slow_async", timeout=0.3)
    async def slow_async(job: Job[Any]) -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            observed["async_cancelled"] = True
            raise

    with working(database, workers) as client:
        ids = [client.insert(AnyKind(kind), InsertOpts(max_attempts=1)).job.id for kind in ["slow", "slow_async"]]
        jobs = wait_until_finalized(client, ids)
        wait_for(lambda: "cancelled" in observed and "async_cancelled" in observed, what="handlers to notice")
    assert observed == {"cancelled": True, "reason": "timeout", "async_cancelled": True}
    for job in jobs:
        assert job.state is JobState.DISCARDED
        assert "deadline exceeded" in job.errors[0].error


def test_middleware_runs_in_order_and_can_fail_the_attempt(database: Database) -> None:
    calls: list[str] = []

    class Recorder:
        def __init__(self, name: str) -> None:
            self.name = name

        def work(self, job: Job[Any], do_inner: Any) -> Any:
            calls.append(f"{self.name}:before")
            result = do_inner()
            calls.append(f"{self.name}:after")
            return result

    class Refuse:
        def work(self, job: Job[Any], do_inner: Any) -> Any:
            if job.args.get("refuse"):
                raise PermissionError("refused by middleware")
            return do_inner()

    workers = Workers()
    workers.add("mw", lambda job: calls.append("handler"), middleware=[Recorder("worker"), Refuse()])

    with working(database, workers, middleware=[Recorder("client1"), Recorder("client2")]) as client:
        (ok,) = wait_until_finalized(client, [client.insert(AnyKind("mw", refuse=False)).job.id])
        assert calls == [
            "client1:before",
            "client2:before",
            "worker:before",
            "handler",
            "worker:after",
            "client2:after",
            "client1:after",
        ]
        (refused,) = wait_until_finalized(
            client, [client.insert(AnyKind("mw", refuse=True), InsertOpts(max_attempts=1)).job.id]
        )
    assert ok.state is JobState.COMPLETED
    assert refused.state is JobState.DISCARDED and refused.errors[0].error == "PermissionError: refused by middleware"


@dataclasses.dataclass
class GoOnly:
    kind = "go_only"


def test_python_only_fetches_its_own_kinds(database: Database) -> None:
    workers = Workers()
    workers.add(Add, lambda job: None)
    with working(database, workers) as client:
        mine = client.insert(Add(1, 2)).job.id
        other = client.insert(GoOnly()).job.id
        wait_until_finalized(client, [mine])
        assert client.job_get(other).state is JobState.AVAILABLE


def test_start_requires_workers_and_bad_config_is_rejected(database: Database) -> None:
    with pyriver.Client(database.url) as client:
        with pytest.raises(pyriver.InvalidArgumentError):
            client.start()
    workers = Workers()
    workers.add("x", lambda job: None)
    with pytest.raises(pyriver.InvalidArgumentError):
        pyriver.Client(database.url, workers=workers, queues={"default": QueueConfig(max_workers=0)})
    with pytest.raises(pyriver.InvalidArgumentError):
        workers.add("x", lambda job: None)


class _UnprintableError(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no text")


@pytest.mark.parametrize(
    "hostile",
    [
        KeyboardInterrupt(),
        SystemExit(3),
        GeneratorExit(),
        _UnprintableError(),
        pyriver.JobSnooze(float("nan")),
        pyriver.JobCancel(object()),  # type: ignore[arg-type]
    ],
    ids=lambda exc: type(exc).__name__,
)
@pytest.mark.parametrize("style", ["sync", "async"])
def test_no_job_can_kill_a_worker_slot(database: Database, hostile: BaseException, style: str) -> None:
    workers = Workers()

    def raise_it(job: Job[dict[str, Any]]) -> None:
        raise hostile

    async def raise_it_async(job: Job[dict[str, Any]]) -> None:
        raise hostile

    def add(job: Job[Add]) -> int:
        return job.args.a + job.args.b

    async def add_async(job: Job[Add]) -> int:
        return job.args.a + job.args.b

    # The healthy job runs where the hostile ones ran: a slot thread, or the loop.
    workers.add("hostile", raise_it if style == "sync" else raise_it_async)
    workers.add(Add, add if style == "sync" else add_async)

    with working(database, workers, queues={"default": QueueConfig(max_workers=2)}) as client:
        # More hostile jobs than slots: each slot meets at least one.
        hostile_ids = [client.insert(AnyKind("hostile"), InsertOpts(max_attempts=1)).job.id for _ in range(4)]
        finalized = wait_until_finalized(client, hostile_ids)
        healthy = wait_until_finalized(client, [client.insert(Add(1, 2)).job.id])[0]
    assert healthy.state is JobState.COMPLETED and healthy.output == 3
    for job in finalized:
        assert job.state in (JobState.DISCARDED, JobState.CANCELLED), job
        if job.state is JobState.DISCARDED:
            assert job.errors and job.errors[-1].error, job


def _pipes_and_event_polls() -> int:
    """Descriptors of the kinds a started client opens for its runner (the
    signal's pipe, the event loop's epoll), not the sockets of connection
    pools, which other tests' clients may still be closing."""
    kinds = []
    for name in os.listdir("/proc/self/fd"):
        try:
            kinds.append(os.readlink(f"/proc/self/fd/{name}"))
        except OSError:  # closed meanwhile
            pass
    return sum(kind.startswith(("pipe:", "anon_inode:[eventpoll]")) for kind in kinds)


def test_a_client_of_async_handlers_pulls_only_when_work_is_signalled(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every handler an ``async def``, the event loop pulls for itself
    when Go signals work: an idle client makes no calls, cancellations
    still arrive, and closing it leaves no descriptor behind."""
    pulls: list[float] = []
    pull = calls.worker_next

    def counted_pull(*args: Any) -> Any:
        pulls.append(time.monotonic())
        return pull(*args)

    monkeypatch.setattr(calls, "worker_next", counted_pull)
    workers = Workers()
    cancelled: list[str] = []

    @workers.handler("quick")
    async def quick(job: Job[Any]) -> int:
        return 1

    @workers.handler("stuck", timeout=0.3)
    async def stuck(job: Job[Any]) -> None:
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.append(job.cancel_reason)
            raise

    descriptors = []
    for _ in range(2):  # a second client must pull as the first did, and leave as much open
        with working(database, workers) as client:
            idle_since = time.monotonic()
            time.sleep(1.5)
            assert [at for at in pulls if at > idle_since] == [], "an idle client must not pull"
            quick_ids = [client.insert(AnyKind("quick")).job.id for _ in range(20)]
            stuck_id = client.insert(AnyKind("stuck"), InsertOpts(max_attempts=1)).job.id
            finalized = wait_until_finalized(client, [*quick_ids, stuck_id])
        assert [job.state for job in finalized[:-1]] == [JobState.COMPLETED] * 20
        assert finalized[-1].state is JobState.DISCARDED and "deadline exceeded" in finalized[-1].errors[0].error
        descriptors.append(_pipes_and_event_polls())
    assert cancelled == ["timeout", "timeout"]
    assert descriptors[1] <= descriptors[0]
