"""Every duration, time and integer is range-checked at the Python boundary:
a value Go, River or the database would change or refuse is refused with
InvalidArgumentError naming its parameter, and nothing is written."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import pyriver
from pyriver import InsertOpts, PeriodicJob, QueueConfig, Workers
from support.databases import Database
from support.jobargs import AnyKind
from support.waiting import wait_until_finalized


@dataclasses.dataclass
class Nested:
    kind = "nested"
    value: Any


def deeply_nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


REFUSED: dict[str, tuple[Callable[[pyriver.Client], Any], str]] = {
    "periodic_interval_too_short": (lambda c: c.periodic_jobs.add(PeriodicJob(1e-12, AnyKind("tick"))), "schedule"),
    "periodic_interval_past_go_range": (
        lambda c: c.periodic_jobs.add(PeriodicJob(timedelta(days=200000), AnyKind("tick"))),
        "schedule",
    ),
    "go_zero_time": (
        lambda c: c.insert(AnyKind("plain"), InsertOpts(scheduled_at=datetime(1, 1, 1, tzinfo=timezone.utc))),
        "opts.scheduled_at",
    ),
    "id_past_int64": (lambda c: c.job_get(2**63), "id"),
    "negative_id_past_int64": (lambda c: c.job_cancel(-(2**63) - 1), "id"),
    "limit_of_wrong_type": (lambda c: c.queue_list(limit="5"), "limit"),  # type: ignore[arg-type]
    "args_nested_10000_deep": (lambda c: c.insert(Nested(deeply_nested(10000))), "args"),
    "lone_surrogate_in_args": (lambda c: c.insert(Nested("\ud800")), "args"),
    "lone_surrogate_in_to_json": (lambda c: c.insert(AnyKind("plain", text="\udfff")), "args"),
    "lone_surrogate_in_kind": (lambda c: c.insert(AnyKind("plain\ud800")), "kind"),
    "lone_surrogate_in_metadata_key": (
        lambda c: c.insert(AnyKind("plain"), InsertOpts(metadata={"\ud800": 1})),
        "opts.metadata",
    ),
    "max_attempts_past_smallint": (
        lambda c: c.insert(AnyKind("plain"), InsertOpts(max_attempts=40000)),
        "opts.max_attempts",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_out_of_range_values_are_refused_and_nothing_is_written(
    client: pyriver.Client, database: Database, case: str
) -> None:
    if case.startswith("periodic"):  # periodic jobs belong to a client with workers
        client = pyriver.Client(database.url, workers=_any_worker(), queues={"default": QueueConfig(max_workers=1)})
    operation, param = REFUSED[case]
    with client, pytest.raises((pyriver.InvalidArgumentError, pyriver.InvalidArgumentTypeError)) as info:
        operation(client)
    assert getattr(info.value, "param") == param
    assert database.job_count() == 0


def _any_worker() -> Workers:
    workers = Workers()
    workers.add("tick", lambda job: None)
    return workers


@pytest.mark.parametrize(
    "option",
    [
        {"job_timeout": 1e11},
        {"operation_timeout": float("nan")},
        {"soft_stop_timeout": timedelta(days=10**6)},
        {"busy_poll": -1e-6},
        {"busy_poll": 0.0101},  # past its 10 ms bound
    ],
)
def test_client_durations_out_of_their_range_are_refused(database: Database, option: dict[str, Any]) -> None:
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        pyriver.Client(database.url, **option)
    assert info.value.param == next(iter(option))


def test_a_nul_in_a_sqlite_path_is_refused(tmp_path: Any) -> None:
    with pytest.raises(pyriver.InvalidArgumentError) as info:
        pyriver.Client(f"sqlite://{tmp_path}/a\x00b.db")
    assert info.value.param == "url"


def test_a_snooze_past_gos_range_fails_its_attempt_readably(database: Database) -> None:
    workers = Workers()

    def snooze_forever(job: pyriver.Job[Any]) -> None:
        raise pyriver.JobSnooze(1e12)

    workers.add("snoozer", snooze_forever)
    with pyriver.Client(database.url, workers=workers, queues={"default": QueueConfig(max_workers=1)}) as client:
        client.migrate()
        job = client.insert(AnyKind("snoozer"), InsertOpts(max_attempts=1)).job
        client.start()
        (done,) = wait_until_finalized(client, [job.id])
        client.stop()
    assert done.state is pyriver.JobState.DISCARDED
    assert "JobSnooze needs a duration" in done.errors[0].error


def test_a_time_python_cannot_hold_names_its_job(postgres_database: Database) -> None:
    with pyriver.Client(postgres_database.url) as client:
        job = client.insert(AnyKind("plain")).job
        postgres_database.execute(f"UPDATE river_job SET scheduled_at = '20000-01-01' WHERE id = {job.id}")
        with pytest.raises(pyriver.DatabaseError, match=f"job {job.id} has a time outside"):
            client.job_get(job.id)


def test_closing_a_client_under_load_gives_client_closed_errors(database: Database) -> None:
    client = pyriver.Client(database.url)
    client.migrate()
    errors: list[BaseException] = []
    started = threading.Barrier(9)

    def insert_until_closed() -> None:
        started.wait()
        while True:
            try:
                client.insert(AnyKind("plain"))
            except BaseException as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=insert_until_closed) for _ in range(8)]
    for thread in threads:
        thread.start()
    started.wait()
    client.close()
    for thread in threads:
        thread.join(30)
    assert len(errors) == 8
    assert all(isinstance(error, pyriver.ClientClosedError) for error in errors), errors
