"""Mixed deployments: Python inserts, the real Go River program works, and
both sides read and deduplicate jobs identically."""

from __future__ import annotations

import base64
import dataclasses
import json
import multiprocessing
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import pyriver
from pyriver import InsertOpts, JobState, UniqueOpts
from support.databases import Database
from support.jobargs import Order
from go_kinds import Echo, Flaky, Tally
from support.goprograms import go_worker, interopcheck
from support.waiting import wait_for, wait_until_finalized


AWKWARD = [
    Echo(
        nested={"a": {"b": [1, "two", None, True, {"c": []}]}, "ü": "ñ"},
        text='héllo 🌍 \u2028 "quoted" <b>&amp;</b>',
        big_int=2**62 + 1,
        big_uint=2**64 - 1,
        float=0.1,
        empty_list=[],
    ),
    Echo(nested={}, text="", big_int=-(2**63), big_uint=0, float=-1.5e-7, empty_list=[]),
    Echo(
        nested={"deep": {"er": {"est": {"x": 1}}}},
        text="日本語テキスト",
        big_int=9007199254740993,
        big_uint=18446744073709551615,
        float=123456.789,
        empty_list=[],
    ),
]


def test_go_worker_decodes_what_python_sent(client: pyriver.Client, database: Database) -> None:
    with go_worker(database.url):
        ids = [result.job.id for result in client.insert_many(AWKWARD)]
        jobs = wait_until_finalized(client, ids)
    for job, sent in zip(jobs, AWKWARD):
        assert job.state is JobState.COMPLETED
        assert job.output == dataclasses.asdict(sent)


def test_go_failures_are_retried_and_their_errors_readable(client: pyriver.Client, database: Database) -> None:
    with go_worker(database.url):
        recovers = client.insert(Flaky(fail_times=2, message="upstream timeout")).job
        gives_up = client.insert(Flaky(fail_times=9, message="always broken"), InsertOpts(max_attempts=2)).job
        recovered, discarded = wait_until_finalized(client, [recovers.id, gives_up.id])
    assert recovered.state is JobState.COMPLETED and recovered.attempt == 3
    assert [(e.attempt, e.error) for e in recovered.errors] == [
        (1, "upstream timeout (attempt 1)"),
        (2, "upstream timeout (attempt 2)"),
    ]
    assert all(e.at.tzinfo is not None for e in recovered.errors)
    assert discarded.state is JobState.DISCARDED and len(discarded.errors) == 2
    assert discarded.finalized_at is not None


def test_go_inserted_jobs_read_identically_from_python(client: pyriver.Client, database: Database) -> None:
    scheduled = datetime(2031, 7, 1, 12, 30, 15, 250000, tzinfo=timezone.utc)
    rows = interopcheck(
        database.url,
        "insert",
        [
            {"kind": "order", "args": {"customer": "ada", "amount": 4200, "items": ["book", "pen"]}, "opts": {}},
            {
                "kind": "order",
                "args": {"customer": "bob", "amount": 1, "items": []},
                "opts": {
                    "max_attempts": 7,
                    "metadata": {"source": "go", "nested": {"x": [1, 2]}},
                    "priority": 3,
                    "queue": "orders",
                    "scheduled_at": scheduled.isoformat(),
                    "tags": ["from-go", "vip"],
                    "unique_opts": {"by_args": True, "by_period": "1h", "by_queue": True},
                },
            },
            {"kind": "order", "args": {"customer": "cy", "amount": 2, "items": ["x"]}, "opts": {"pending": True}},
        ],
    )
    for row in rows:
        job = client.job_get(row["id"])
        assert job.kind == row["kind"] and job.queue == row["queue"] and job.priority == row["priority"]
        assert job.max_attempts == row["max_attempts"] and job.tags == row["tags"] and job.attempt == row["attempt"]
        assert job.state.value == row["state"]
        assert job.encoded_args == row["encoded_args"].encode()
        assert json.loads(job.metadata) == json.loads(row["metadata"])
        assert job.unique_key == (base64.b64decode(row["unique_key"]) if row["unique_key"] else None)
        assert [s.value for s in job.unique_states] == (row["unique_states"] or [])
        assert job.scheduled_at == datetime.fromtimestamp(0, timezone.utc) + timedelta(microseconds=row["scheduled_at"])
        assert job.created_at == datetime.fromtimestamp(0, timezone.utc) + timedelta(microseconds=row["created_at"])
    assert client.job_get(rows[1]["id"]).scheduled_at == scheduled


# Per case: River unique options as the Go program reads them, the same as
# pyriver.UniqueOpts, and the other insert options both sides use.
UNIQUE_CASES: dict[str, tuple[dict[str, Any], UniqueOpts, dict[str, Any]]] = {
    "by_args": ({"by_args": True}, UniqueOpts(by_args=True), {}),
    "by_period": ({"by_period": "1h"}, UniqueOpts(by_period=timedelta(hours=1)), {}),
    "by_queue": ({"by_queue": True}, UniqueOpts(by_queue=True), {"queue": "orders"}),
    "by_state": (
        {"by_args": True, "by_state": ["available", "pending", "running", "scheduled", "retryable", "completed"]},
        UniqueOpts(by_args=True, by_state=["available", "pending", "running", "scheduled", "retryable", "completed"]),
        {},
    ),
    "args_period_queue": (
        {"by_args": True, "by_period": "24h", "by_queue": True},
        UniqueOpts(by_args=True, by_period=86400, by_queue=True),
        {"queue": "orders"},
    ),
    "args_exclude_kind": ({"by_args": True, "exclude_kind": True}, UniqueOpts(by_args=True, exclude_kind=True), {}),
}


@pytest.mark.parametrize("case", list(UNIQUE_CASES))
@pytest.mark.parametrize("first", ["go", "python"])
def test_unique_jobs_deduplicate_across_languages(
    client: pyriver.Client, database: Database, case: str, first: str
) -> None:
    go_unique, py_unique, extra = UNIQUE_CASES[case]
    args: dict[str, Any] = {"customer": "ada", "amount": 4200, "items": ["book", "pen"]}

    def from_go() -> tuple[int, bytes, bool]:
        (row,) = interopcheck(
            database.url, "insert", [{"kind": "order", "args": args, "opts": {**extra, "unique_opts": go_unique}}]
        )
        return row["id"], base64.b64decode(row["unique_key"]), row["unique_skipped_as_duplicate"]

    def from_python() -> tuple[int, bytes, bool]:
        result = client.insert(Order(**args), InsertOpts(unique_opts=py_unique, **extra))
        assert result.job.unique_key is not None
        return result.job.id, result.job.unique_key, result.unique_skipped_as_duplicate

    inserters = [from_go, from_python] if first == "go" else [from_python, from_go]
    (first_id, first_key, first_skipped), (second_id, second_key, second_skipped) = [insert() for insert in inserters]
    assert not first_skipped and second_skipped
    assert second_id == first_id and second_key == first_key


def test_schema_migrated_by_pyriver_passes_gos_validation(database: Database) -> None:
    with pyriver.Client(database.url) as client:
        assert not interopcheck(database.url, "validate")["OK"]
        client.migrate()
    assert interopcheck(database.url, "validate") == {"OK": True, "Messages": None}


def test_schema_migrated_from_go_works_with_pyriver(database: Database) -> None:
    interopcheck(database.url, "migrate")
    with pyriver.Client(database.url) as client:
        assert client.migrate_validate().ok and client.migrate() == []
        job = client.insert(Order("ada", 1, [])).job
        assert client.job_get(job.id).args == {"customer": "ada", "amount": 1, "items": []}


def _insert_tallies(url: str, start: int, count: int) -> list[int]:
    with pyriver.Client(url) as client:
        ids = []
        for offset in range(0, count, 50):
            ids += [
                r.job.id
                for r in client.insert_many([Tally(n) for n in range(start + offset, start + min(offset + 50, count))])
            ]
        return ids


def test_three_go_workers_and_two_python_inserters_work_each_job_once(
    client: pyriver.Client, database: Database
) -> None:
    if database.driver != "postgres":
        pytest.skip("several worker processes sharing one queue is a PostgreSQL deployment")
    per_inserter = 300
    with go_worker(database.url) as w1, go_worker(database.url) as w2, go_worker(database.url) as w3:
        context = multiprocessing.get_context("spawn")
        with context.Pool(2) as pool:
            inserted = pool.starmap(
                _insert_tallies, [(database.url, 0, per_inserter), (database.url, per_inserter, per_inserter)]
            )
        ids = [job_id for batch in inserted for job_id in batch]
        jobs = wait_until_finalized(client, ids, timeout=120)
        worker_pids = {w1.pid, w2.pid, w3.pid}
    assert len(set(ids)) == 2 * per_inserter
    assert all(job.state is JobState.COMPLETED and job.attempt == 1 and not job.errors for job in jobs)
    assert sorted(job.output["n"] for job in jobs) == list(range(2 * per_inserter))
    assert {job.output["pid"] for job in jobs} <= worker_pids


def test_periodic_jobs_from_python_are_worked_by_go(client: pyriver.Client, database: Database) -> None:
    """Only the elected leader enqueues periodic jobs, so the Python client
    that has them starts first and wins the election; the Go worker joins."""
    workers = pyriver.Workers()
    workers.add("python_side", lambda job: None)  # a running client has workers of its own
    periodic = [pyriver.PeriodicJob(timedelta(seconds=1), Tally(7), run_on_start=True)]
    with pyriver.Client(database.url, workers=workers, periodic_jobs=periodic) as scheduler:
        scheduler.start()
        try:
            wait_for(lambda: client.job_list(kinds=["tally"]).jobs, timeout=60, what="a periodic tally enqueued")
            with go_worker(database.url):
                completed = wait_for(
                    lambda: client.job_list(kinds=["tally"], states=[JobState.COMPLETED]).jobs,
                    timeout=60,
                    what="Go to work it",
                )
        finally:
            scheduler.stop()
    assert completed[0].output["n"] == 7


def test_one_sqlite_url_names_one_file_for_go_and_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = "sqlite://shared.db"  # relative, as River's CLI reads it
    interopcheck(url, "migrate")
    with pyriver.Client(url) as client:
        assert client.migrate_validate().ok and client.migrate() == []
        from_python = client.insert(Order("ada", 1, [])).job
    (from_go,) = interopcheck(url, "insert", [{"kind": "order", "args": {"customer": "bo", "amount": 2, "items": []}}])
    assert from_go["id"] == from_python.id + 1
    assert [path.name for path in tmp_path.glob("*.db")] == ["shared.db"]


def test_job_list_cursors_cross_languages(client: pyriver.Client, database: Database) -> None:
    ids = [result.job.id for result in client.insert_many([Order("ada", n, []) for n in range(9)])]
    first = client.job_list(limit=3)
    go_page = interopcheck(database.url, "page", {"after": first.last_cursor, "limit": 3})
    assert go_page["ids"] == ids[3:6]
    python_page = client.job_list(limit=3, after=go_page["last_cursor"])
    assert [job.id for job in python_page.jobs] == ids[6:9]
    # A cursor from pyriver still refuses a listing with other filters.
    with pytest.raises(pyriver.InvalidArgumentError) as refused:
        client.job_list(limit=3, after=first.last_cursor, kinds=["order"])
    assert refused.value.param == "after"
