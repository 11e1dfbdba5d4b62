"""JobInsertMiddleware in Python: sees River's filled parameters, changes
persist, raising writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

import pyriver
from pyriver import InsertBatch, InsertOpts, JobInsertParams, JobInsertResult, JobState
from pyriver.insert_middleware import InsertMiddleware
from support.databases import Database
from support.jobargs import Resize, SendEmail


class Recorder:
    def __init__(self, name: str, calls: list[str], seen: list[list[JobInsertParams]] | None = None) -> None:
        self.name, self.calls, self.seen = name, calls, seen

    def insert_many(
        self, params: list[JobInsertParams], do_inner: Callable[[], list[JobInsertResult]]
    ) -> list[JobInsertResult]:
        self.calls.append(f"{self.name}:before")
        if self.seen is not None:
            self.seen.append([JobInsertParams(**vars(p)) for p in params])
        results = do_inner()
        self.calls.append(f"{self.name}:after")
        return results


class Stamp:
    """Moves every job to the "stamped" queue and adds a tag and metadata."""

    def insert_many(
        self, params: list[JobInsertParams], do_inner: Callable[[], list[JobInsertResult]]
    ) -> list[JobInsertResult]:
        for p in params:
            p.queue = "stamped"
            p.tags = [*p.tags, "stamped"]
            p.metadata = json.dumps({**json.loads(p.metadata), "stamp": True}).encode()
            p.priority = 3
        return do_inner()


class Refuse:
    def insert_many(
        self, params: list[JobInsertParams], do_inner: Callable[[], list[JobInsertResult]]
    ) -> list[JobInsertResult]:
        raise PermissionError("inserts are closed")


def test_middleware_sees_river_filled_params_in_order(database: Database) -> None:
    calls: list[str] = []
    seen: list[list[JobInsertParams]] = []
    scheduled = datetime(2033, 3, 3, tzinfo=timezone.utc)
    middleware = [Recorder("outer", calls, seen), Recorder("inner", calls)]
    with pyriver.Client(database.url, insert_middleware=middleware) as client:
        client.migrate()
        results = client.insert_many([SendEmail("a"), (Resize(5), InsertOpts(scheduled_at=scheduled, max_attempts=3))])
    assert calls == ["outer:before", "inner:before", "inner:after", "outer:after"]
    (first, second) = seen[0]
    assert (first.kind, first.queue, first.priority, first.max_attempts, first.state) == (
        "send_email",
        "default",
        1,
        25,
        JobState.AVAILABLE,
    )
    assert json.loads(first.encoded_args) == {"to": "a", "subject": "hello"}
    assert (second.kind, second.max_attempts, second.state, second.scheduled_at) == (
        "resize",
        3,
        JobState.SCHEDULED,
        scheduled,
    )
    assert [r.job.kind for r in results] == ["send_email", "resize"]


def test_middleware_changes_persist(database: Database) -> None:
    with pyriver.Client(database.url, insert_middleware=[Stamp()]) as client:
        client.migrate()
        job = client.insert(SendEmail("a"), InsertOpts(tags=["original"])).job
        with client.transaction() as tx:
            in_tx = tx.insert(Resize(1)).job
        for stored in (client.job_get(job.id), client.job_get(in_tx.id)):
            assert stored.queue == "stamped" and stored.priority == 3 and "stamped" in stored.tags
            assert json.loads(stored.metadata)["stamp"] is True
        assert client.job_get(job.id).tags == ["original", "stamped"]


def test_raising_middleware_writes_nothing(database: Database) -> None:
    with pyriver.Client(database.url, insert_middleware=[Refuse()]) as client:
        client.migrate()
        with pytest.raises(PermissionError, match="inserts are closed"):
            client.insert_many([SendEmail("a"), SendEmail("b")])
    assert database.job_count() == 0


def test_middleware_values_are_validated(database: Database) -> None:
    class Bad:
        def insert_many(
            self, params: list[JobInsertParams], do_inner: Callable[[], list[JobInsertResult]]
        ) -> list[JobInsertResult]:
            params[0].priority = 9
            return do_inner()

    with pyriver.Client(database.url, insert_middleware=[Bad()]) as client:
        client.migrate()
        with pytest.raises(pyriver.InvalidArgumentError) as info:
            client.insert(SendEmail("a"))
        assert info.value.param == "params.priority"
    assert database.job_count() == 0


class Wrapper:
    """An InsertWrapper that records the calls it wraps and asks for a metadata key."""

    def __init__(self, name: str, calls: list[str], batches: list[InsertBatch] | None = None) -> None:
        self.name, self.calls, self.batches = name, calls, batches

    def wrap_insert(
        self, batch: InsertBatch, do_inner: Callable[[], list[JobInsertResult] | int]
    ) -> list[JobInsertResult] | int:
        self.calls.append(f"{self.name}:before")
        if self.batches is not None:
            self.batches.append(batch)
        batch.set_metadata[self.name] = "wrapped"
        result = do_inner()
        self.calls.append(f"{self.name}:after")
        return result


def test_wrappers_run_outermost_on_every_insert_call_fast_included(database: Database) -> None:
    calls: list[str] = []
    batches: list[InsertBatch] = []
    chain: list[InsertMiddleware] = [
        Recorder("river", calls),
        Wrapper("outer", calls, batches),
        Wrapper("inner", calls),
    ]
    with pyriver.Client(database.url, insert_middleware=chain) as client:
        client.migrate()
        inserted = client.insert(SendEmail("a")).job
        assert client.insert_many_fast([SendEmail("b"), Resize(1)]) == 2
        jobs = client.job_list().jobs
    assert calls == [
        *("outer:before", "inner:before", "river:before", "river:after", "inner:after", "outer:after"),
        *("outer:before", "inner:before", "inner:after", "outer:after"),  # River-style middleware skips fast
    ]
    assert [(batch.kinds, batch.fast) for batch in batches] == [
        (["send_email"], False),
        (["send_email", "resize"], True),
    ]
    assert [job.id for job in jobs][0] == inserted.id
    for job in jobs:
        metadata = json.loads(job.metadata)
        assert (metadata["outer"], metadata["inner"]) == ("wrapped", "wrapped")


def test_a_raising_wrapper_writes_nothing(database: Database) -> None:
    class Closed:
        def wrap_insert(self, batch: InsertBatch, do_inner: Callable[[], Any]) -> Any:
            raise PermissionError("inserts are closed")

    with pyriver.Client(database.url, insert_middleware=[Closed()]) as client:
        client.migrate()
        with pytest.raises(PermissionError):
            client.insert_many_fast([SendEmail("a")])
    assert database.job_count() == 0


def test_an_object_that_is_no_insert_middleware_is_refused_at_construction(database: Database) -> None:
    with pytest.raises(pyriver.InvalidArgumentTypeError, match=r"insert_middleware\[1\].*object has neither") as info:
        pyriver.Client(database.url, insert_middleware=[Stamp(), object()])  # type: ignore[list-item]
    assert info.value.param == "insert_middleware"
